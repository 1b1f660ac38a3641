"""GraphiQL's scripts and styles, served from this site rather than a CDN.

graphene-django's GraphiQL page loads React, GraphiQL, graphql-ws and the
explorer plugin from jsDelivr, which the Content-Security-Policy
(cms.security_headers) does not allow and a network without that CDN cannot
reach. Their UMD builds are fetched instead at install time — ``make
install`` runs ``manage.py fetch_graphiql``; so does the image build) from
the npm registry with ``npm pack``, checked against the Subresource Integrity
hashes graphene-django pins for the same versions, and written to
``STATIC_DIR``, where ``cms/templates/graphene/graphiql.html`` finds them
through ``{% static %}`` and ``collectstatic`` collects them. Nothing is
fetched while the site runs. Each file's closing ``sourceMappingURL`` comment
is dropped with its hash checked: the maps (4 MB) are not shipped, and the
manifest storage of ``collectstatic`` refuses references to missing files.
``MANIFEST`` records the hash each file was checked against, so a later
install knows what it has.

The files (about 1.6 MB, mostly GraphiQL itself) are not committed: they are
third-party builds, reproducible from the versions below, and ``.gitignore``
keeps them out. The versions follow the installed graphene-django, so an
upgrade that moves them makes the next ``make install`` fetch the new ones.
"""

import base64
import hashlib
import json
import re
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from graphene_django.views import GraphQLView

STATIC_DIR = Path(__file__).resolve().parent / "static" / "cms" / "graphiql"
STATIC_PREFIX = "cms/graphiql/"  # STATIC_DIR as a {% static %} name
MANIFEST = "manifest.json"  # {file name: the pinned hash it was checked against}
# The closing source map reference of a minified script or stylesheet.
SOURCE_MAP_COMMENT = re.compile(
    rb"\n?(?://[#@] sourceMappingURL=[^\n]*|/\*[#@] sourceMappingURL=.*?\*/)\s*\Z"
)


@dataclass(frozen=True)
class Asset:
    """One file of an npm package, as the GraphiQL page uses it."""

    name: str  # file name under STATIC_DIR
    package: str
    version: str
    path: str  # inside the package
    sri: str  # "sha256-…", as graphene-django pins it

    @property
    def spec(self):
        return f"{self.package}@{self.version}"

    @property
    def static_name(self):
        return STATIC_PREFIX + self.name

    def matches(self, content):
        algorithm, _, expected = self.sri.partition("-")
        digest = hashlib.new(algorithm, content).digest()
        return base64.b64encode(digest).decode() == expected


# (file name, npm package, path in the package, GraphQLView's version and hash attributes),
# in the order the page loads them. graphene-django also loads a fetch polyfill, which
# no browser that runs GraphiQL needs; it is left out.
FILES = [
    ("graphiql.min.css", "graphiql", "graphiql.min.css", "graphiql_version", "graphiql_css_sri"),
    (
        "plugin-explorer.css",
        "@graphiql/plugin-explorer",
        "dist/style.css",
        "graphiql_plugin_explorer_version",
        "graphiql_plugin_explorer_css_sri",
    ),
    (
        "react.production.min.js",
        "react",
        "umd/react.production.min.js",
        "react_version",
        "react_sri",
    ),
    (
        "react-dom.production.min.js",
        "react-dom",
        "umd/react-dom.production.min.js",
        "react_version",
        "react_dom_sri",
    ),
    ("graphiql.min.js", "graphiql", "graphiql.min.js", "graphiql_version", "graphiql_sri"),
    (
        "graphql-ws.min.js",
        "graphql-ws",
        "umd/graphql-ws.min.js",
        "subscriptions_transport_ws_version",
        "subscriptions_transport_ws_sri",
    ),
    (
        "plugin-explorer.umd.js",
        "@graphiql/plugin-explorer",
        "dist/graphiql-plugin-explorer.umd.js",
        "graphiql_plugin_explorer_version",
        "graphiql_plugin_explorer_sri",
    ),
]


def assets(view=GraphQLView):
    """The files of graphene-django's GraphiQL page, at the versions it pins."""
    return [
        Asset(name, package, getattr(view, version), path, getattr(view, sri))
        for name, package, path, version, sri in FILES
    ]


def scripts():
    return [asset for asset in assets() if asset.name.endswith(".js")]


def stylesheets():
    return [asset for asset in assets() if asset.name.endswith(".css")]


class FetchError(Exception):
    """The assets could not be fetched or did not match their pinned hashes."""


def _manifest(directory):
    try:
        return json.loads((directory / MANIFEST).read_text())
    except (OSError, ValueError):
        return {}


def missing(directory=STATIC_DIR):
    """The assets not in ``directory``, or fetched for other versions than graphene-django's."""
    checked = _manifest(directory)
    return [
        asset
        for asset in assets()
        if checked.get(asset.name) != asset.sri or not (directory / asset.name).is_file()
    ]


def fetch(directory=STATIC_DIR, npm="npm"):
    """Fetch what ``missing`` lists with ``npm pack``; returns the assets written.

    Each file is checked against its pinned hash before it is written, so a
    tampered or unexpected package fails the install rather than the page.
    """
    wanted = missing(directory)
    if not wanted:
        return []
    if shutil.which(npm) is None:
        raise FetchError(
            f"{npm} is not installed: GraphiQL's scripts are fetched from the npm registry "
            "at install time (Debian: apt-get install npm)"
        )
    specs = sorted({asset.spec for asset in wanted})
    with tempfile.TemporaryDirectory() as scratch:
        packed = subprocess.run(
            [npm, "pack", *specs, "--pack-destination", scratch, "--json", "--silent"],
            capture_output=True,
            text=True,
            cwd=scratch,
        )
        if packed.returncode != 0:
            raise FetchError(f"npm pack {' '.join(specs)} failed:\n{packed.stderr.strip()}")
        tarballs = {
            f"{entry['name']}@{entry['version']}": Path(scratch) / entry["filename"]
            for entry in json.loads(packed.stdout)
        }
        contents = {asset: _member(tarballs[asset.spec], asset) for asset in wanted}
    directory.mkdir(parents=True, exist_ok=True)
    checked = _manifest(directory)
    for asset, content in contents.items():
        (directory / asset.name).write_bytes(SOURCE_MAP_COMMENT.sub(b"\n", content))
        checked[asset.name] = asset.sri
    (directory / MANIFEST).write_text(json.dumps(checked, indent=2, sort_keys=True) + "\n")
    return wanted


def _member(tarball, asset):
    with tarfile.open(tarball) as archive:
        try:
            content = archive.extractfile(f"package/{asset.path}").read()
        except KeyError:
            raise FetchError(f"{asset.spec} has no {asset.path}") from None
    if not asset.matches(content):
        raise FetchError(f"{asset.spec}/{asset.path} does not match {asset.sri}")
    return content
