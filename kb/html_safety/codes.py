"""The one table of HTML safety problem codes (``HTMnnn``), as data.

Each record has the shape of :class:`kb.frontmatter.codes.Code`: ``code``, ``name`` (snake_case),
``severity``, ``title`` (a few words), ``explanation`` (what is wrong and why it matters) and ``fix``
(what a contributor does about it). The messages of the check say the particulars (which element,
which attribute, what is allowed); this table says what each code means, for a reference of every
code.
"""
from __future__ import annotations

from kb.core.problems import Code

CODES: tuple[Code, ...] = (
    Code(
        "HTM001", "element", "error", "HTML element not allowed",
        "Raw HTML in a page is limited to a short list of harmless elements. Others can run script "
        "(<script>, <svg>, <math>), restyle the whole site (<style>), embed another page or plugin "
        "(<iframe>, <object>, <embed>), send the reader elsewhere (<base>, <meta http-equiv=refresh>) "
        "or take input (<form>). A built page, theme included, may hold nothing that embeds another "
        "document, changes where its links go or sends the reader elsewhere.",
        "Use Markdown instead of raw HTML: a picture as ![description](picture.svg), a link instead of "
        "an embedded page or form; the message names what to do for the element found.",
    ),
    Code(
        "HTM002", "event_handler", "error", "Event-handler attribute",
        "An on...= attribute (onclick, onerror, onload...) runs script when something happens on the "
        "page, in raw HTML, an attribute list ({: ... }) or a built page.",
        "Remove the attribute; pages cannot run script.",
    ),
    Code(
        "HTM003", "attribute", "error", "Attribute not allowed",
        "Raw HTML and attribute lists may use only harmless attributes, classes and ids. A style "
        "attribute can lay text over the page, such as a fake crisis banner; a class that is not on "
        "the list pages may use (the admonition types such as note, warning and danger, and "
        "Material's annotate, grid, cards, card, inline and end) would dress text up as part of the "
        "site, and some hide text that search still finds; the theme's ids would take the place of "
        "its own elements.",
        "Remove the attribute, or use one of the classes on the list; Markdown and the site's "
        "classes do the formatting.",
    ),
    Code(
        "HTM004", "url_scheme", "error", "URL scheme not allowed",
        "A link or picture address whose scheme is not https, http, mailto, tel or sms (such as "
        "javascript:, data: or vbscript:, however it is spelled or escaped) can run script or carry "
        "a page of its own.",
        "Link to an https:// page or to a page of the site with a relative link.",
    ),
    Code(
        "HTM005", "script", "error", "Script not allowed",
        "A built page may run only the site's own script files and the theme's inline scripts of the "
        "reviewed list kb/csp-theme-scripts.txt. Any other inline script, a script from another "
        "site, or a script of an unknown type is refused.",
        "Remove the script from the page's source; if the theme wrote it, review the theme change, "
        "run `make csp-scripts` and review `git diff kb/csp-theme-scripts.txt`.",
    ),
    Code(
        "HTM006", "unfinished_tag", "error", "Tag not finished by the end of the file",
        "The file ends inside an HTML tag. Whatever follows the file in a page (the rest of the page "
        "that includes it) would become part of that tag.",
        "Finish the tag with '>', or write &lt; for a literal '<'.",
    ),
    Code(
        "HTM007", "unreadable", "error", "File cannot be read",
        "The file is missing, cannot be read, is not UTF-8 or is binary, or Markdown could not "
        "convert it, so its HTML could not be checked.",
        "Save the file as UTF-8 text; if Markdown fails on it, the message names the error.",
    ),
    Code(
        "HTM008", "missing_policy", "error", "Built page without the site's Content-Security-Policy",
        "Every built page carries the site's Content-Security-Policy, first in its head, allowing "
        "exactly the reviewed theme scripts. A page without it, or with another policy, is refused; "
        "no policy is trusted from the page itself.",
        "Build with MkDocs and the site's hooks (mkdocs.yml), as `make build` does.",
    ),
    Code(
        "HTM009", "remote_load", "error", "Built page loads something from another host",
        "A picture, style sheet, font, script or frame from another host would make the reader's "
        "browser ask that host for it, and tell it who is reading the page; the offline copy would "
        "not work from disk.",
        "Save the file in the site and use a relative link or url().",
    ),
)
"""The HTML safety codes in code order."""

BY_CODE: dict[str, Code] = {code.code: code for code in CODES}
