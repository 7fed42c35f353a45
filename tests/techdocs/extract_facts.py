#!/usr/bin/env python3
"""Extracts the facts the TechDocs compatibility test compares from MkDocs'
own output, so the test needs no Python: per page its title, heading ids and
the set of links to other pages; and the navigation (order, titles, targets).

Usage: extract_facts.py REF_DIR OUT_DIR
  REF_DIR holds one MkDocs + techdocs-core build per corpus tree, made with
  ../shared/techdocs-reference.sh CORPUS/<tree>/<root> REF_DIR/<tree> --strip-unknown
  OUT_DIR receives <tree>.json (tests/fixtures/techdocs/).
"""
import html
import html.parser
import json
import os
import posixpath
import re
import sys

# Folder holding mkdocs.yml inside each corpus tree (../shared/corpus/techdocs/README.md).
ROOTS = {
    "backstage__backstage": "plugins/techdocs-backend/examples/documented-component",
    "backstage__demo": ".",
    "backstage__mkdocs-monorepo-plugin": "sample-docs",
    "RoadieHQ__marketing-site": "roadie-tech-docs",
    "DEFRA__adp-documentation": ".",
    "DiamondLightSource__developer-portal": ".",
    "squidfunk__mkdocs-material": ".",
    "argoproj__argo-workflows": ".",
    "knative__docs": ".",
}

SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def resolve(page_file, href):
    """A link as the site-relative file (+ #fragment) it leads to."""
    path, _, fragment = href.partition("#")
    path = path.split("?")[0]
    base = posixpath.dirname(page_file)
    target = posixpath.normpath(posixpath.join(base, html.unescape(path))) if path else page_file
    if target == ".":
        target = ""
    if path.endswith("/") or path in ("", ".", "..") and path:
        target = (target + "/index.html").lstrip("/")
    elif path == "":
        target = page_file
    return target + ("#" + fragment if fragment else "")


class PageParser(html.parser.HTMLParser):
    def __init__(self, page_file):
        super().__init__(convert_charrefs=True)
        self.page_file = page_file
        self.title = None
        self._in_title = False
        self.article_depth = 0
        self.ids = []
        self.links = set()
        self.redirect = False
        # navigation
        self.nav_depth = 0        # inside md-nav--primary (element depth counter)
        self.secondary = 0        # inside md-nav--secondary within primary
        self.list_level = 0
        self.list_stack = []
        self.nav = []
        self._capture = None      # (kind, href, level) while reading an entry's text
        self._text = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = a.get("class") or ""
        if tag == "meta" and (a.get("http-equiv") or "").lower() == "refresh":
            self.redirect = True
        if tag == "title":
            self._in_title = True
            self._text = []
        if tag == "article" and "md-content__inner" in cls:
            self.article_depth = 1
        elif self.article_depth and tag not in VOID:
            self.article_depth += 1
        if self.article_depth:
            if re.fullmatch(r"h[1-6]", tag) and a.get("id"):
                self.ids.append(a["id"])
            if tag == "a" and a.get("href") is not None:
                href = a["href"]
                if "headerlink" in cls or "md-content__button" in cls:
                    return
                if not href or href.startswith("#") or href.startswith("//") or SCHEME.match(href):
                    return
                self.links.add(resolve(self.page_file, href))
        # navigation
        if tag == "nav" and "md-nav--primary" in cls and not self.nav_depth:
            self.nav_depth = 1
            return
        if self.nav_depth:
            if tag not in VOID:
                self.nav_depth += 1
                if self.secondary:
                    self.secondary += 1
            if tag == "nav" and "md-nav--secondary" in cls:
                self.secondary = 1
            if self.secondary:
                return
            if tag == "ul" and "md-nav__list" in cls:
                self.list_stack.append(self.nav_depth)
                self.list_level = len(self.list_stack)
            if tag == "a" and "md-nav__link" in cls:
                href = a.get("href", "")
                if SCHEME.match(href) or href.startswith("//"):
                    self._capture = ("link", href, self.list_level)
                else:
                    self._capture = ("page", resolve(self.page_file, href).split("#")[0], self.list_level)
                self._text = []
            if tag == "label" and "md-nav__link" in cls and (a.get("for") or "").startswith("__nav_"):
                self._capture = ("section", None, self.list_level)
                self._text = []

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
            self.title = " ".join("".join(self._text).split())
        if self.article_depth and tag not in VOID:
            self.article_depth -= 1
        if self.nav_depth and tag not in VOID:
            if self.secondary:
                self.secondary -= 1
            if tag == "ul" and self.list_stack and self.list_stack[-1] == self.nav_depth:
                self.list_stack.pop()
                self.list_level = len(self.list_stack)
            self.nav_depth -= 1
            if tag in ("a", "label") and self._capture:
                kind, href, level = self._capture
                title = " ".join("".join(self._text).split())
                entry = {"kind": kind, "title": title, "level": level}
                if href is not None:
                    entry["target"] = href
                self.nav.append(entry)
                self._capture = None

    def handle_data(self, data):
        if self._in_title or self._capture:
            self._text.append(data)


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def index_sections(nav):
    """Material's `navigation.indexes` draws a section whose first page is its
    index as one link (titled by the section) beside an empty label; give it
    MkDocs' structure back: the section, then its index page (title unknown)."""
    out = []
    i = 0
    while i < len(nav):
        e = nav[i]
        nxt = nav[i + 1] if i + 1 < len(nav) else None
        if e["kind"] == "page" and nxt and nxt["kind"] == "section" and not nxt["title"] and nxt["level"] == e["level"]:
            out.append({"kind": "section", "title": e["title"], "level": e["level"]})
            out.append({"kind": "page", "title": None, "level": e["level"] + 1, "target": e["target"]})
            i += 2
            continue
        out.append(e)
        i += 1
    return out


def extract(tree_dir):
    pages = {}
    nav = None
    for dirpath, dirnames, filenames in os.walk(tree_dir):
        dirnames.sort()
        rel_dir = os.path.relpath(dirpath, tree_dir)
        if rel_dir.split(os.sep)[0] in ("assets", "search"):
            continue
        for name in sorted(filenames):
            if not name.endswith(".html"):
                continue
            rel = name if rel_dir == "." else f"{rel_dir}/{name}".replace(os.sep, "/")
            if rel == "404.html":
                continue
            with open(os.path.join(dirpath, name), encoding="utf-8") as fh:
                text = fh.read()
            p = PageParser(rel)
            p.feed(text)
            if p.redirect:
                continue
            pages[rel] = {"title": p.title or "", "ids": p.ids, "links": sorted(p.links)}
            if rel == "index.html" or nav is None:
                nav = p.nav if rel == "index.html" or nav is None else nav
    return pages, nav


def main():
    ref_dir, out_dir = sys.argv[1], sys.argv[2]
    os.makedirs(out_dir, exist_ok=True)
    for tree in sorted(ROOTS):
        src = os.path.join(ref_dir, tree)
        if not os.path.isdir(src):
            print(f"skip {tree}: no reference build in {src}", file=sys.stderr)
            continue
        with open(os.path.join(src, "techdocs_metadata.json"), encoding="utf-8") as fh:
            meta = json.load(fh)
        pages, nav = extract(src)
        facts = {
            "tree": tree,
            "root": ROOTS[tree],
            "site_name": meta.get("site_name"),
            "pages": pages,
            "nav": index_sections(nav or []),
        }
        with open(os.path.join(out_dir, f"{tree}.json"), "w", encoding="utf-8") as fh:
            json.dump(facts, fh, indent=1, sort_keys=True, ensure_ascii=False)
            fh.write("\n")
        print(f"{tree}: {len(pages)} pages, {len(nav or [])} nav entries")


if __name__ == "__main__":
    main()
