"""Who issues the periodic report: agency, superior, number, place, recipients, signer (a TOML file).

An administrative report (Nghị định 30/2020/NĐ-CP) names its issuing agency and the
agency above it, carries a number "Số: …/BC-…", a place and date line, "Kính gửi",
"Nơi nhận" and a signature block. None of that is in the register, so the office
keeps it in a small settings file that ``kcn report --init-settings`` writes with
the Khánh Hòa board as example (names as in the board's own plan, seed 001:
"Ban Quản lý Khu kinh tế và Khu công nghiệp tỉnh Khánh Hòa", number suffix
"KKTKCN"). The signer's name is left blank on purpose: nobody should sign by default.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from kcn_tracker.errors import InvalidValue

FILE_NAME = "bao-cao.toml"


@dataclass(frozen=True)
class ReportSettings:
    """The issuer's details printed in the header, "Kính gửi", "Nơi nhận" and signature block."""

    superior: str = "UBND TỈNH KHÁNH HÒA"
    agency: str = "BAN QUẢN LÝ KHU KINH TẾ VÀ KHU CÔNG NGHIỆP"
    agency_name: str = "Ban Quản lý Khu kinh tế và Khu công nghiệp tỉnh Khánh Hòa"
    number_suffix: str = "BC-KKTKCN"
    place: str = "Khánh Hòa"
    recipients: list[str] = field(default_factory=lambda: ["Ủy ban nhân dân tỉnh Khánh Hòa"])
    copies: list[str] = field(default_factory=lambda: [
        "Như trên", "Sở Công Thương (để phối hợp)", "Sở Tài chính", "Lãnh đạo Ban", "Lưu: VT, VP"])
    signer_authority: str = ""
    signer_title: str = "TRƯỞNG BAN"
    signer_name: str = ""
    #: Who is asked to help with each kind of obstacle (the "kiến nghị" section), by obstacle category.
    asks: dict[str, str] = field(default_factory=lambda: {
        "land": "UBND các xã, phường nơi có dự án và Sở Nông nghiệp và Môi trường đẩy nhanh bồi thường, giải phóng mặt bằng, giao đất",
        "planning": "Sở Xây dựng và Sở Tài chính rà soát, tham mưu điều chỉnh quy hoạch",
        "environment": "Sở Nông nghiệp và Môi trường hướng dẫn, giải quyết thủ tục môi trường",
        "grid": "Sở Công Thương làm việc với ngành điện về phương án đấu nối",
        "investor": "Sở Tài chính đẩy nhanh thủ tục lựa chọn nhà đầu tư",
        "capital": "Sở Tài chính và các ngân hàng thương mại hỗ trợ phương án vốn",
        "technology": "Sở Công Thương và Sở Khoa học và Công nghệ cho ý kiến về công nghệ",
        "procedures": "các sở, ngành liên quan rút ngắn thời gian giải quyết thủ tục",
        "other": "các sở, ngành liên quan phối hợp tháo gỡ",
    })


def default_path() -> Path:
    """Where ``--init-settings`` writes and the report reads when no ``--settings`` is given."""
    from kcn_tracker.settings import user_config_dir

    return user_config_dir() / FILE_NAME


_COMMENTS = {
    "superior": "Cơ quan chủ quản (dòng trên, chữ in hoa)",
    "agency": "Cơ quan ban hành (dòng dưới, chữ in hoa đậm)",
    "agency_name": "Tên cơ quan trong câu mở đầu",
    "number_suffix": "Ký hiệu sau số: Số: …/BC-KKTKCN",
    "place": "Địa danh của dòng ngày tháng",
    "recipients": "Kính gửi",
    "copies": "Nơi nhận (\"Như trên\" = các nơi Kính gửi)",
    "signer_authority": "Thẩm quyền ký, vd. \"KT. TRƯỞNG BAN\" (để trống nếu người đứng đầu ký)",
    "signer_title": "Chức vụ người ký, vd. \"PHÓ TRƯỞNG BAN\"",
    "signer_name": "Họ và tên người ký (để trống: ghi tay khi ký)",
    "asks": "Kiến nghị theo loại vướng mắc: đề nghị ai làm gì",
}


def to_toml(settings: ReportSettings) -> str:
    """The settings as a commented TOML file (strings written as JSON strings, which TOML accepts)."""
    lines = ["# Thiết lập báo cáo định kỳ của kcn-tracker (thể thức theo Nghị định 30/2020/NĐ-CP).",
             "# Sửa các dòng dưới đây cho đúng đơn vị của mình; giữ nguyên dấu ngoặc kép.", ""]
    tables = []
    for item in fields(settings):
        value = getattr(settings, item.name)
        if isinstance(value, dict):
            tables.append((item.name, value))
            continue
        lines.append(f"# {_COMMENTS[item.name]}")
        if isinstance(value, list):
            lines.append(f"{item.name} = [" + ", ".join(json.dumps(v, ensure_ascii=False) for v in value) + "]")
        else:
            lines.append(f"{item.name} = {json.dumps(value, ensure_ascii=False)}")
    for name, table in tables:
        lines += ["", f"# {_COMMENTS[name]}", f"[{name}]"]
        lines += [f"{key} = {json.dumps(text, ensure_ascii=False)}" for key, text in table.items()]
    return "\n".join(lines) + "\n"


def write_example(path: Path | None = None, *, overwrite: bool = False) -> Path:
    """Write the example settings (the Khánh Hòa board) to ``path``; refuse to replace an existing file."""
    target = Path(path) if path else default_path()
    if target.exists() and not overwrite:
        raise InvalidValue(f"{target}: tệp thiết lập đã có, không ghi đè (xóa tệp hoặc sửa trực tiếp) / "
                           "settings file exists, not overwritten")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(to_toml(ReportSettings()), encoding="utf-8")
    return target


def load(path: Path | None = None) -> tuple[ReportSettings, Path | None]:
    """The settings from ``path`` (or the default file when it exists), else the example; and the file read."""
    target = Path(path) if path else default_path()
    if not target.exists():
        if path:
            raise InvalidValue(f"{target}: không có tệp thiết lập / settings file not found")
        return ReportSettings(), None
    try:
        data = tomllib.loads(target.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InvalidValue(f"{target}: tệp thiết lập sai cú pháp / invalid settings file ({exc})") from None
    known = {f.name: f for f in fields(ReportSettings)}
    unknown = sorted(set(data) - set(known))
    if unknown:
        raise InvalidValue(f"{target}: khóa không biết / unknown keys: {', '.join(unknown)}")
    defaults = asdict(ReportSettings())
    for key, value in data.items():
        expected = type(defaults[key])
        if not isinstance(value, expected) or (expected is list and not all(isinstance(v, str) for v in value)):
            raise InvalidValue(f"{target}: “{key}” phải là {'danh sách chữ' if expected is list else 'chữ'} / wrong type")
    if "asks" in data:
        data["asks"] = {**defaults["asks"], **{k: str(v) for k, v in data["asks"].items()}}
    return ReportSettings(**{**defaults, **data}), target
