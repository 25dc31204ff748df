"""Templates are semi-trusted code: an override in a pull request reaches only the documented context.

Each route out of Jinja a hostile templates/ file has (a command, a file written or read outside the
project, the cache key, the network) is refused where the template tries it, as an ordinary problem
at the template's file and line, and build/ is left as it was.
"""

from __future__ import annotations

import dataclasses
import http.server
import io
import os
import threading
import types
from collections.abc import Callable, Iterator
from pathlib import Path, PurePath

import pytest
from pydantic import BaseModel

from compendium import pipeline
from compendium.assemble.context import assemble
from compendium.errors import InputError
from compendium.project import find_project
from tests.conftest import copy_example, run, snapshot
from tests.harness import Case, run_case

HTML = ("build", "--format", "html", "--quiet")
DOCUMENTED = 'a template may use only the values the README\'s "Template context" lists'


def refused(attribute: str, owner: str, where: str = "templates/index.html:1") -> str:
    """Return the whole output of a build stopped by the sandbox."""
    return (
        f"{where} template error: access to attribute '{attribute}' of '{owner}' object is unsafe; {DOCUMENTED}\n"
        "Error: 1 problem found; nothing was written.\n"
    )


def hostile(tmp_path: Path, template: str, attribute: str, owner: str, *, absent: tuple[str, ...] = ()) -> None:
    """Build a good project, override index.html with a hostile one, and expect the sandbox's refusal."""
    case = Case(
        "hostile-template",
        files={"templates/index.html": template},
        args=HTML,
        output=refused(attribute, owner),
        absent=absent,
    )
    run_case(case, tmp_path / "project")


# Each: the template, and the attribute and object the sandbox refuses first.
COMMANDS = {
    "cycler globals": ("{{ cycler.__init__.__globals__.os.popen('touch %s').read() }}", "__init__", "type"),
    "lipsum globals": ("{{ lipsum.__globals__['os'].system('touch %s') }}", "__globals__", "function"),
    "subclasses": ("{{ ''.__class__.__mro__[1].__subclasses__() }}%s", "__class__", "str"),
    "attr filter": ("{{ (namespace|attr('__init__')).__globals__.os.system('touch %s') }}", "__init__", "type"),
    "format string": ("{{ '{0.__init__.__globals__[os].system}'.format(joiner)('touch %s') }}", "__init__", "type"),
    "escaped name": ("{{ cycler|attr('\\x5f\\x5finit\\x5f\\x5f') }}%s", "__init__", "type"),
    "class method": ("{{ cycler.mro()[1] }}%s", "mro", "type"),
    "class property": ("{{ cycler.current.fget }}%s", "current", "type"),
    "mapping class": ("{{ dict.fromkeys(['x']) }}%s", "fromkeys", "type"),
    "template self": (
        "{{ self._TemplateReference__context.cycler }}%s",
        "_TemplateReference__context",
        "TemplateReference",
    ),
}


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_a_template_cannot_run_a_command(tmp_path: Path, name: str) -> None:
    template, attribute, owner = COMMANDS[name]
    marker = tmp_path / "ran"
    hostile(tmp_path, template % marker + "\n", attribute, owner)
    assert not marker.exists()


def test_a_template_cannot_write_a_file_outside_the_project(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    template = f"{{{{ joiner.__init__.__globals__.__builtins__.open('{outside}', 'w').write('x') }}}}\n"
    hostile(tmp_path, template, "__init__", "type")
    assert not outside.exists()


def test_a_template_cannot_read_the_cache_key(tmp_path: Path) -> None:
    key_file = Path(os.environ["COMPENDIUM_CACHE_KEY_FILE"])
    template = f"{{{{ cycler.__init__.__globals__.__builtins__.open('{key_file}', 'rb').read().hex() }}}}\n"
    # The good build of run_case makes the key, so it exists when the hostile one runs.
    hostile(tmp_path, template, "__init__", "type")
    assert key_file.read_bytes().hex() not in (tmp_path / "project" / "build" / "index.html").read_text("utf-8")


@pytest.fixture
def listener() -> Iterator[tuple[str, list[str]]]:
    """A web server on the loopback interface that counts the requests it gets."""
    requests: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"NETWORK-REACHED")

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", requests
    finally:
        server.shutdown()
        server.server_close()


def test_a_template_cannot_make_a_network_request(tmp_path: Path, listener: tuple[str, list[str]]) -> None:
    url, requests = listener
    importer = "cycler.__init__.__globals__.__builtins__.__import__"
    template = f"{{{{ {importer}('urllib.request').request.urlopen('{url}').read() }}}}\n"
    hostile(tmp_path, template, "__init__", "type", absent=("NETWORK-REACHED",))
    assert requests == []


# What our own objects have besides their data: pydantic's public methods reach files and classes.
OUR_OBJECTS = {
    "model parse_file": ("{{ publication.parse_file('/etc/hostname') }}", "parse_file", "Publication"),
    "model fields": ("{{ publication.model_fields.title.annotation }}", "model_fields", "Publication"),
    "model dump": ("{{ publication.model_dump_json() }}", "model_dump_json", "Publication"),
    "model copy": ("{{ publication.model_copy(update={'title': 'x'}).title }}", "model_copy", "Publication"),
    "model validate": ("{{ publication.model_validate({}) }}", "model_validate", "Publication"),
    "labels classmethod": ("{{ labels.from_data('da', {}, 'x') }}", "from_data", "Labels"),
    "our classmethod": ("{{ publication.date.parse('2020') }}", "parse", "PartialDate"),
    "format string": ("{{ '{0.parse_file}'.format(publication) }}", "parse_file", "Publication"),
}


@pytest.mark.parametrize("name", sorted(OUR_OBJECTS))
def test_a_template_gets_data_not_the_methods_of_our_objects(tmp_path: Path, name: str) -> None:
    template, attribute, owner = OUR_OBJECTS[name]
    hostile(tmp_path, template + "\n", attribute, owner)


def test_a_refusal_in_an_imported_template_names_that_file_and_line(project: Path) -> None:
    assert run(*HTML, "--project", project).exit_code == 0
    before = snapshot(project / "build")
    (project / "templates").mkdir(exist_ok=True)
    (project / "templates" / "_hack.html").write_text("{% macro go() %}\n\n{{ cycler.__init__ }}\n{% endmacro %}\n")
    (project / "templates" / "index.html").write_text('{% import "_hack.html" as h %}\n{{ h.go() }}\n')
    result = run(*HTML, "--project", project)
    assert (result.exit_code, result.output) == (1, refused("__init__", "type", "templates/_hack.html:3"))
    assert snapshot(project / "build") == before


def test_the_documented_context_still_renders(tmp_path: Path) -> None:
    # The methods the README documents: Person.credit, ThemeView.is_home, the chart's value, dates and mappings.
    template = (
        "{{ publication.title }}|{{ publication.date.isoformat() }}|{{ labels.foreword }}|{{ labels.get('x', 'y') }}|"
        "{{ documents|map(attribute='title')|join(',') }}|{{ '{0.title}'.format(publication) }}|{{ language }}\n"
    )
    case = Case("documented", files={"templates/index.html": template}, args=HTML, exit=0)
    run_case(case, tmp_path / "project")
    index = (tmp_path / "project" / "build" / "index.html").read_text("utf-8")
    assert index == "Kompendiet|2026-11-20|Forord|y|Kompendium,Debatoplæg|Kompendiet|da\n"


def reachable(value: object, seen: set[int]) -> Iterator[tuple[str, object]]:
    """Walk everything a template can reach by attribute or item from a value, with its path."""
    if id(value) in seen or isinstance(value, (str, int, float, bool, type(None))):
        return
    seen.add(id(value))
    children: list[tuple[str, object]] = []
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        children = [(f.name, getattr(value, f.name)) for f in dataclasses.fields(value)]
    elif isinstance(value, BaseModel):
        children = [(name, getattr(value, name)) for name in type(value).model_fields]
    elif isinstance(value, dict):
        children = [(f"[{key!r}]", item) for key, item in value.items()]
    elif isinstance(value, (list, tuple)):
        children = [(f"[{i}]", item) for i, item in enumerate(value)]
    for name, child in children:
        yield name, child
        for path, grandchild in reachable(child, seen):
            yield f"{name}.{path}", grandchild


def test_the_template_context_holds_data_only(tmp_path: Path) -> None:
    project = find_project(explicit=copy_example(tmp_path / "project"))
    checked = pipeline.validate(project, pipeline.read_inputs(project), None)
    context = assemble(checked.content, checked.labels, None, {}, "public")
    unsafe = (type, types.ModuleType, PurePath, io.IOBase, types.FunctionType, types.MethodType)
    found = [path for path, value in reachable(context, set()) if isinstance(value, unsafe) or callable(value)]
    assert found == []


def test_render_templates_finds_a_refusal_without_writing(make_project: Callable[..., Path]) -> None:
    # What `check` calls to render the templates: it raises the same problem a build reports, and writes nothing.
    root = make_project({"templates/debate-paper.html": "<p>\n{{ publication.model_dump_json() }}\n"})
    project = find_project(explicit=root)
    checked = pipeline.validate(project, pipeline.read_inputs(project), None)
    with pytest.raises(InputError) as raised:
        pipeline.render_templates(project, checked)
    assert [str(p) for p in raised.value.problems] == [
        "templates/debate-paper.html:2 template error: access to attribute 'model_dump_json' of 'Publication' "
        f"object is unsafe; {DOCUMENTED}"
    ]
    assert sorted(p.name for p in root.iterdir()) == ["compendium.yaml", "inputs", "templates"]
