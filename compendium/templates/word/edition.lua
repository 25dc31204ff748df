-- The public edition's HTML as a Word document: what pandoc reads as HTML, made into Word's own structure.
-- Screen-only and print-only parts go (the cover, the table of contents, the skip link, the notes at the end
-- of a text); each note becomes a Word footnote, and quotations take Word's Quote style.

local function has(el, class)
  return el.classes and el.classes:includes(class)
end

function Span(el)
  -- pandoc makes a Word footnote of each note the text calls (role doc-noteref, notes in doc-endnotes):
  -- the copy beside the call, which only print shows, would print it twice.
  if has(el, "footnote-print") then
    return {}
  end
end

function Link(el)
  if has(el, "skip") or has(el, "footnote-backref") then
    return {}
  end
end

function Div(el)
  if has(el, "cover") or has(el, "toc") or has(el, "footnote") then
    return {}
  end
end

local function is_picture(blocks)
  return #blocks == 1 and (blocks[1].t == "Plain" or blocks[1].t == "Para")
    and #blocks[1].content == 1 and blocks[1].content[1].t == "Image"
end

function Figure(el)
  -- The overview chart: its numbers are in the table after it, and Word shows no inline SVG.
  if has(el, "chart") then
    return {}
  end
  -- A photo stays a figure (a picture and its Image Caption). Anything else, a statement say (a quotation
  -- with its speaker as the caption), is its blocks and a Caption paragraph: pandoc would lay it out as a table.
  if not is_picture(el.content) then
    local blocks = pandoc.Blocks(el.content)
    if #el.caption.long > 0 then
      blocks:insert(pandoc.Div(el.caption.long, pandoc.Attr("", {}, {{"custom-style", "Caption"}})))
    end
    return blocks
  end
end

function BlockQuote(el)
  return pandoc.Div(el.content, pandoc.Attr("", {}, {{"custom-style", "Quote"}}))
end

function Image(el)
  -- An inline SVG (the overview chart): its numbers are in the table beside it, and Word shows no SVG alone.
  if el.src:sub(1, 14) == "data:image/svg" then
    return {}
  end
end
