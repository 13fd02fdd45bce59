"""Render a ``ReportContent`` as Markdown (pictures as PNG files beside it) or as one HTML page.

Names, notes and descriptions are user input, so no text reaches either format
raw: in Markdown every character CommonMark could read as markup (HTML tags,
entities, links, emphasis, table pipes, a block marker at the start) is
backslash-escaped by ``md_text``; HTML is written directly, every text escaped with
``html.escape``, pictures inlined as data URIs so the page is one file.
"""

from __future__ import annotations

import base64
import html
import re
from pathlib import Path

from kcn_tracker.reports.blocks import Closing, Figure, Heading, Paragraph, ReportContent, Table, show


_MD_INLINE = re.compile(r"([\\`*_\[\]<>&|~!])")


def md_text(text: str, *, block: bool = False) -> str:
    """``text`` as literal Markdown on one line: no HTML, entity, link or emphasis left active.

    With ``block`` (a paragraph or heading of its own) a leading list, heading or
    setext marker ("1. ", "# ", "- ", "=") is escaped too.
    """
    escaped = _MD_INLINE.sub(r"\\\1", " ".join(str(text).split()))
    if block:
        escaped = re.sub(r"^([#+\-=])", r"\\\1", escaped)
        escaped = re.sub(r"^(\d+)([.)])(?=\s|$)", r"\1\\\2", escaped)
    return escaped


def _md_cell(text: str) -> str:
    return md_text(text)


def _md_table(table: Table) -> list[str]:
    lines = [f"**{md_text(table.title)}**", ""]
    if not table.rows:
        return lines + [f"_{md_text(table.empty_text)}_", ""]
    lines.append("| " + " | ".join(_md_cell(c.header) for c in table.columns) + " |")
    lines.append("|" + "|".join("---:" if c.kind in ("number", "int", "percent") else "---" for c in table.columns) + "|")
    for row in table.rows:
        lines.append("| " + " | ".join(_md_cell(show(v, c.kind, table.missing_text)) for c, v in zip(table.columns, row)) + " |")
    return lines + [""]


def front_matter(content: ReportContent) -> list[str]:
    """The header block as plain lines: agency, number, quốc hiệu, place and date, "Kính gửi"."""
    settings = content.settings
    return [settings.superior.upper(), settings.agency.upper(), content.number_line,
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", content.place_date_line,
            f"Kính gửi: {', '.join(settings.recipients)}."]


def closing_matter(content: ReportContent) -> tuple[list[str], list[str]]:
    """("Nơi nhận" items, signature lines) of the closing block."""
    settings = content.settings
    signer = [t.upper() for t in (settings.signer_authority, settings.signer_title) if t] + [settings.signer_name or "(ký, ghi rõ họ tên)"]
    return list(settings.copies), signer


def to_markdown(content: ReportContent, *, image_dir: str) -> tuple[str, dict[str, bytes]]:
    """The Markdown text and the pictures it links to ({relative path: PNG bytes})."""
    *head, greeting = front_matter(content)
    lines = [md_text(" — ".join(head)), "", f"# {md_text(content.title)}", "", md_text(greeting), ""]
    images: dict[str, bytes] = {}
    previous_bullet = False
    for block in content.blocks:
        bullet = isinstance(block, Paragraph) and block.style == "bullet"
        if previous_bullet and not bullet:
            lines.append("")  # a list needs a blank line before what follows
        previous_bullet = bullet
        if isinstance(block, Heading):
            lines += ["#" * (block.level + 1) + " " + md_text(block.text), ""]
        elif isinstance(block, Paragraph):
            prefix = "- " if block.style == "bullet" else ""
            text = f"_{md_text(block.text)}_" if block.style == "note" else md_text(block.text, block=True)
            lines += [prefix + text] + ([] if bullet else [""])
        elif isinstance(block, Table):
            lines += _md_table(block)
        elif isinstance(block, Figure):
            if block.png is None:
                lines += [f"_{md_text(block.missing_text)}_", ""]
            else:
                path = f"{image_dir}/{block.key}.png"
                images[path] = block.png
                lines += [f"![{md_text(block.caption)}]({path})", "", f"*{md_text(block.caption)}*", ""]
        elif isinstance(block, Closing):
            copies, signer = closing_matter(content)
            lines += ["**Nơi nhận:**", "", *[f"- {md_text(c)}" for c in copies], "", f"**{md_text(' — '.join(signer))}**", ""]
    return "\n".join(lines).rstrip() + "\n", images


_CSS = """body{font-family:"Times New Roman",DejaVu Serif,serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:.5em 0 1.5em;font-size:.9em}th,td{border:1px solid #999;padding:.25em .5em;vertical-align:top}
th{background:#eef}td.n{text-align:right;white-space:nowrap}.note{color:#555;font-style:italic}figure{margin:1em 0}
img{max-width:100%}caption{font-weight:bold;text-align:left;padding:.3em 0}"""


NUMERIC, NOTE = ' class="n"', ' class="note"'


def _html_table(table: Table) -> list[str]:
    esc = html.escape
    if not table.rows:
        return [f"<p><b>{esc(table.title)}</b></p>", f'<p class="note">{esc(table.empty_text)}</p>']
    out = [f"<table><caption>{esc(table.title)}</caption>", "<thead><tr>"
           + "".join(f"<th>{esc(c.header)}</th>" for c in table.columns) + "</tr></thead><tbody>"]
    for row in table.rows:
        cells = "".join(f"<td{NUMERIC if c.kind in ('number', 'int', 'percent') else ''}>"
                        f"{esc(show(v, c.kind, table.missing_text))}</td>" for c, v in zip(table.columns, row))
        out.append(f"<tr>{cells}</tr>")
    return out + ["</tbody></table>"]


def to_html(content: ReportContent) -> str:
    """One self-contained HTML page (UTF-8), every text escaped."""
    esc = html.escape
    *head, greeting = front_matter(content)
    out = ["<!DOCTYPE html>", '<html lang="vi"><head><meta charset="utf-8">', f"<title>{esc(content.title)}</title>",
           f"<style>{_CSS}</style></head><body>", f'<p class="note">{"<br>".join(esc(h) for h in head)}</p>',
           f"<h1>{esc(content.title)}</h1>", f"<p>{esc(greeting)}</p>"]
    bullets: list[str] = []
    for block in content.blocks:
        if bullets and not (isinstance(block, Paragraph) and block.style == "bullet"):
            out += ["<ul>", *bullets, "</ul>"]
            bullets = []
        if isinstance(block, Heading):
            out.append(f"<h{block.level + 1}>{esc(block.text)}</h{block.level + 1}>")
        elif isinstance(block, Paragraph):
            if block.style == "bullet":
                bullets.append(f"<li>{esc(block.text)}</li>")
            else:
                out.append(f"<p{NOTE if block.style == 'note' else ''}>{esc(block.text)}</p>")
        elif isinstance(block, Table):
            out += _html_table(block)
        elif isinstance(block, Figure):
            if block.png is None:
                out.append(f'<p class="note">{esc(block.missing_text)}</p>')
            else:
                data = base64.b64encode(block.png).decode("ascii")
                out.append(f'<figure><img alt="{esc(block.caption)}" src="data:image/png;base64,{data}">'
                           f"<figcaption>{esc(block.caption)}</figcaption></figure>")
        elif isinstance(block, Closing):
            copies, signer = closing_matter(content)
            out += ["<p><b><i>Nơi nhận:</i></b></p>", "<ul>", *[f"<li>{esc(c)}</li>" for c in copies], "</ul>",
                    f"<p><b>{'<br>'.join(esc(line) for line in signer)}</b></p>"]
    if bullets:
        out += ["<ul>", *bullets, "</ul>"]
    return "\n".join(out + ["</body></html>"]) + "\n"


def write_markdown(content: ReportContent, path: Path) -> list[Path]:
    """Write ``path`` (.md) and its pictures in ``<stem>-hinh/``; returns every file written."""
    image_dir = f"{path.stem}-hinh"
    text, images = to_markdown(content, image_dir=image_dir)
    path.write_text(text, encoding="utf-8")
    written = [path]
    for relative, png in images.items():
        target = path.parent / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(png)
        written.append(target)
    return written


def write_html(content: ReportContent, path: Path) -> list[Path]:
    """Write the HTML page; returns the files written."""
    path.write_text(to_html(content), encoding="utf-8")
    return [path]
