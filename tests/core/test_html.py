"""forum/core/html.py: editors' Markdown and raw HTML come out as harmless HTML."""

from html.parser import HTMLParser

import pytest
from pytest_django.asserts import assertInHTML

from forum.core.html import Figure, render_comment, render_markdown, sanitize_html, visible_text

DANGEROUS_TAGS = {"script", "iframe", "style", "svg", "object", "embed", "math"}
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:")


class _Elements(HTMLParser):
    """Collects every start tag with its (entity-decoded) attributes, and comments."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.comments: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, {name: value or "" for name, value in attrs}))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_comment(self, data):
        self.comments.append(data)


def elements(html: str) -> _Elements:
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser


def assert_harmless(html: str) -> None:
    """No scripting element, no event handler, no script-capable URL, no comment."""
    parsed = elements(html)
    for tag, attrs in parsed.elements:
        assert tag not in DANGEROUS_TAGS, html
        for name, value in attrs.items():
            assert not name.startswith("on"), html
            # Browsers ignore whitespace and control characters inside the scheme.
            squashed = "".join(ch for ch in value if ch > " ").lower()
            assert not squashed.startswith(DANGEROUS_SCHEMES), html
        assert "style" not in attrs or attrs["style"].replace(" ", "").rstrip(";").startswith(
            "text-align:"
        ), html
    assert parsed.comments == [], html


@pytest.mark.parametrize(
    ("source", "survivor"),
    [
        pytest.param("Before\n\n<script>alert(1)</script>\n\nAfter", "After", id="script-block"),
        pytest.param("Hi <script>alert(1)</script> there", "there", id="script-inline"),
        pytest.param("<SCRIPT SRC=//evil.test/x.js></SCRIPT>\n\nAfter", "After", id="script-caps"),
        pytest.param('<iframe src="https://evil.test"></iframe>\n\nAfter', "After", id="iframe"),
        pytest.param("<style>body { display: none }</style>\n\nAfter", "After", id="style"),
        pytest.param('<p onclick="alert(1)">Click me</p>', "Click me", id="onclick"),
        pytest.param('<img src="/a.jpg" onerror="alert(1)" alt="A lens">', "A lens", id="onerror"),
        pytest.param('<svg onload="alert(1)"><circle r="4"/></svg>Text', "Text", id="svg-onload"),
        pytest.param('<a href="javascript:alert(1)">Link</a>', "Link", id="js-href"),
        pytest.param('<a href="JaVaScRiPt:alert(1)">Link</a>', "Link", id="js-href-mixed-case"),
        pytest.param('<a href="jav&#x61;script:alert(1)">Link</a>', "Link", id="js-href-hex"),
        pytest.param('<a href="jav&#97;script:alert(1)">Link</a>', "Link", id="js-href-decimal"),
        pytest.param('<a href="java&#x09;script:alert(1)">Link</a>', "Link", id="js-href-tab"),
        pytest.param('<a href=" javascript:alert(1)">Link</a>', "Link", id="js-href-space"),
        pytest.param('<a href="vbscript:msgbox(1)">Link</a>', "Link", id="vbscript-href"),
        pytest.param('<a href="data:text/html,<script>x</script>">Link</a>', "Link", id="data"),
        pytest.param('<img src="javascript:alert(1)" alt="Pic">', "Pic", id="js-src"),
        pytest.param(
            '<img src="data:image/svg+xml,<svg/onload=x>" alt="Pic">', "Pic", id="data-src"
        ),
        pytest.param("[Link](javascript:alert(1))", "Link", id="md-js-link"),
        pytest.param("[Link](JaVaScRiPt:alert(1))", "Link", id="md-js-link-mixed-case"),
        pytest.param("[Link](jav&#x61;script:alert(1))", "Link", id="md-js-link-entity"),
        pytest.param("[Link](vbscript:msgbox(1))", "Link", id="md-vbscript-link"),
        pytest.param("[Link](data:text/html;base64,PHNjcmlwdD4=)", "Link", id="md-data-link"),
        pytest.param("![Pic](data:image/png;base64,iVBORw0KGgo=)", "Pic", id="md-data-image"),
        pytest.param("<https://ok.test> [Link](javascript:x)", "Link", id="md-autolink-mixed"),
        pytest.param('<p style="color:red; position:fixed">Styled</p>', "Styled", id="style-attr"),
        pytest.param("Before <!-- a secret note --> after", "after", id="comment-inline"),
        pytest.param("<!-- a secret note -->\n\nAfter", "After", id="comment-block"),
    ],
)
def test_dangerous_markup_is_rendered_harmless_and_the_text_survives(source, survivor):
    html = render_markdown(source)

    assert_harmless(html)
    assert survivor in html


@pytest.mark.parametrize(
    "source",
    [
        '<a href="javascript:alert(1)">x</a>',
        '<img src=x onerror="alert(1)">',
        "<script>alert(1)</script>",
        '<p style="background: url(javascript:alert(1))">x</p>',
    ],
)
def test_sanitize_html_alone_also_removes_dangerous_markup(source):
    assert_harmless(sanitize_html(source))


def test_html_comments_are_dropped_with_their_content():
    html = render_markdown("Visible <!-- a secret note --> text")

    assert "secret" not in html
    assert "Visible" in html


def test_style_attributes_are_dropped():
    html = render_markdown(
        '<table><tr><td style="text-align: center; position: fixed; color: red">c</td></tr></table>'
    )

    assert_harmless(html)
    [td] = [attrs for tag, attrs in elements(html).elements if tag == "td"]
    assert "style" not in td


def test_script_and_style_elements_are_dropped_with_their_code():
    html = render_markdown("Before <script>alert(1)</script><style>p{}</style> after")

    assert "alert" not in html
    assert "p{}" not in html
    assert "Before" in html and "after" in html


def test_emphasis_links_code_and_quotes_survive():
    html = render_markdown(
        "*soft* **bold** ~~gone~~ `f/2.8` [Leica](https://leica.test/m6) [old](http://old.test/)"
        "\n\n> A quoted reader\n\n```\nexposure = 1/125\n```"
    )

    assertInHTML("<em>soft</em>", html)
    assertInHTML("<strong>bold</strong>", html)
    assertInHTML("<s>gone</s>", html)
    assertInHTML("<code>f/2.8</code>", html)
    assertInHTML('<a href="https://leica.test/m6">Leica</a>', html)
    assertInHTML('<a href="http://old.test/">old</a>', html)
    assertInHTML("<blockquote><p>A quoted reader</p></blockquote>", html)
    assertInHTML("<pre><code>exposure = 1/125\n</code></pre>", html)


def test_markdown_tables_survive():
    html = render_markdown("| Lens | Price |\n|---|---:|\n| 50mm | £300 |")

    assertInHTML(
        "<table><thead><tr><th>Lens</th><th class='align-right'>Price</th></tr></thead>"
        "<tbody><tr><td>50mm</td><td class='align-right'>£300</td></tr></tbody></table>",
        html,
    )


def test_mailto_links_and_safe_raw_html_survive():
    html = render_markdown(
        '<a href="mailto:editors@example.com" title="Write to us">Write</a> <kbd>Ctrl</kbd>'
    )

    assertInHTML('<a href="mailto:editors@example.com" title="Write to us">Write</a>', html)
    assertInHTML("<kbd>Ctrl</kbd>", html)


def test_text_is_escaped_not_interpreted():
    html = render_markdown("Use `<script>` tags? 5 < 6 & 7 > 3")

    assert "<script>" not in html
    assertInHTML("<code>&lt;script&gt;</code>", html)


def test_attached_image_becomes_a_figure_with_caption_and_credit():
    figures = {"1": Figure(url="/media/lens.jpg", width=640, height=360, caption="The 35mm Summicron.", credit="Photo: Ada Lowe")}  # fmt: skip

    html = render_markdown("Intro\n\n![A small lens](image:1)\n\nOutro", figures=figures)

    assertInHTML(
        '<figure class="body-figure">'
        '<img src="/media/lens.jpg" alt="A small lens" width="640" height="360"'
        ' loading="lazy" decoding="async">'
        '<figcaption>The 35mm Summicron. <span class="credit">Photo: Ada Lowe</span></figcaption>'
        "</figure>",
        html,
    )


def test_reference_to_an_unattached_image_renders_nothing():
    html = render_markdown("Intro\n\n![Missing](image:7)\n\nOutro")

    assert "<img" not in html
    assert "image:7" not in html
    assert "Outro" in html


def test_figure_caption_and_credit_are_escaped():
    figures = {"1": Figure(url="/m.jpg", caption="<script>x</script>", credit='"><img onerror=x>')}

    html = render_markdown("![Alt](image:1)", figures=figures)

    assert_harmless(html)
    assert "&lt;script&gt;" in html


# The text a reader sees in our own HTML, for the moderation rules


@pytest.mark.parametrize(
    ("html", "text"),
    [
        pytest.param("<p>ca<strong>s</strong>ino</p>", "casino", id="strong"),
        pytest.param("<p>c<em>a</em>s<code>i</code>no</p>", "casino", id="em and code"),
        pytest.param('<p><a href="https://x.example">ca</a>sino</p>', "casino", id="link text"),
        pytest.param("<p>&#99;asino &#x63;asino</p>", "casino casino", id="numeric entities"),
        pytest.param("<p>ca&shy;sino</p>", "ca\u00adsino", id="soft hyphen entity"),
        pytest.param("<p>payday&nbsp;loan</p>", "payday\u00a0loan", id="no-break space entity"),
        pytest.param("<p>a &lt;b&gt; &amp; c</p>", "a <b> & c", id="escaped markup"),
        pytest.param("<p>casi</p>\n<p>no</p>", "casi\nno", id="paragraphs"),
        pytest.param("<p>casi</p><p>no</p>", "casi\nno", id="paragraphs without a newline"),
        pytest.param("<p>casi<br>no</p>", "casi\nno", id="line break"),
        pytest.param("<ul><li>casi</li><li>no</li></ul>", "casi\nno", id="list items"),
        pytest.param("<blockquote><p>casi</p></blockquote>no", "casi\nno", id="quote"),
        pytest.param("<table><tr><td>casi</td><td>no</td></tr></table>", "casi\nno", id="cells"),
        pytest.param("<h2>casi</h2>no", "casi\nno", id="heading"),
        pytest.param("<pre><code>casi\nno  x</code></pre>", "casi\nno  x", id="preformatted"),
        pytest.param("<p>one\n  two\t three</p>", "one two three", id="spaces collapse"),
        pytest.param('<p><a href="https://casino.example" title="casino">Mine</a></p>', "Mine",
                     id="attributes are not text"),
    ],
)  # fmt: skip
def test_visible_text_is_what_a_reader_sees(html, text):
    assert visible_text(html) == text


@pytest.mark.parametrize(
    ("source", "text"),
    [
        pytest.param("&#99;asino", "casino", id="decimal entity"),
        pytest.param("&#x63;asino", "casino", id="hex entity"),
        pytest.param("ca&shy;sino", "ca\u00adsino", id="soft hyphen"),
        pytest.param("ca**s**ino", "casino", id="strong"),
        pytest.param("ca`s`ino", "casino", id="code"),
        pytest.param("[ca](https://x.example)sino", "casino", id="link"),
        pytest.param("payday&nbsp;loan", "payday\u00a0loan", id="no-break space"),
        # Raw HTML in a comment is shown as typed: an HTML comment hides nothing.
        pytest.param("c<!-- -->asino", "c<!-- -->asino", id="html comment shown as typed"),
        pytest.param("casi\n\nno", "casi\nno", id="paragraphs"),
        pytest.param("casi\nno", "casi\nno", id="line break"),
    ],
)
def test_visible_text_of_a_rendered_comment(source, text):
    assert visible_text(render_comment(source)) == text
