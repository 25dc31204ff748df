-- The public edition's HTML as a Word document: what pandoc reads as HTML, made into Word's own structure.
-- Screen-only and print-only parts go (the cover, the table of contents, the skip link, the notes at the end
-- of a text); each note's print copy becomes a real footnote, and quotations take Word's Quote style.

local function has(el, class)
  return el.classes and el.classes:includes(class)
end

function Span(el)
  if has(el, "footnote-print") then
    return pandoc.Note(pandoc.Plain(el.content))
  end
  if has(el, "footnote-ref") then
    return {}
  end
end

function Superscript(el)
  -- Python-Markdown's call, a link to the note at the end of the text: the Note above replaces it.
  if #el.content == 1 and el.content[1].t == "Link" and has(el.content[1], "footnote-ref") then
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

function BlockQuote(el)
  return pandoc.Div(el.content, pandoc.Attr("", {}, {{"custom-style", "Quote"}}))
end

function Image(el)
  -- An inline SVG (the overview chart): its numbers are in the table beside it, and Word shows no SVG alone.
  if el.src:sub(1, 14) == "data:image/svg" then
    return {}
  end
end
