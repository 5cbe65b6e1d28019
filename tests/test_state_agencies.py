"""Which units count as "cơ quan quản lý nhà nước" (`is_state_agency`, the `state_agency` target group):
the state administrative agencies only, in the shipped reference and in every generated province."""

from __future__ import annotations

import pytest

from ingest.reference import DEFAULT_REFERENCE_DIR, read_units
from sample.reference import SAMPLE_PROVINCE_CODE, SAMPLE_PROVINCE_NAME, SAMPLE_SEED, province_units

pytestmark = pytest.mark.fast  # the edit-test tier (make test-fast)

STATE_ADMINISTRATIVE = {
    "Văn phòng UBND tỉnh", "Sở Nội vụ", "Sở Tư pháp", "Sở Tài chính", "Sở Công Thương",
    "Sở Nông nghiệp và Môi trường", "Sở Xây dựng", "Sở Khoa học và Công nghệ", "Sở Giáo dục và Đào tạo",
    "Sở Y tế", "Sở Văn hóa, Thể thao và Du lịch", "Sở Ngoại vụ", "Sở Dân tộc và Tôn giáo", "Thanh tra tỉnh",
    "Ban Quản lý các khu công nghiệp tỉnh", "Công an tỉnh", "Bảo hiểm xã hội tỉnh", "Thuế tỉnh",
}  # fmt: skip
NOT_STATE_ADMINISTRATIVE = {
    "Báo và Phát thanh, Truyền hình tỉnh",  # đơn vị sự nghiệp công lập
    "Trường Chính trị tỉnh",  # đơn vị sự nghiệp công lập
    "Văn phòng Đoàn ĐBQH và HĐND tỉnh",  # the elected bodies' office
    "Ban Quản lý dự án đầu tư xây dựng tỉnh",  # a project management board
    "Chi nhánh Ngân hàng Chính sách xã hội tỉnh",  # a bank branch
    "Ủy ban MTTQ Việt Nam tỉnh", "Hội Liên hiệp Phụ nữ tỉnh", "Tỉnh đoàn", "Hội Nông dân tỉnh",
    "Liên đoàn Lao động tỉnh", "Hội Cựu chiến binh tỉnh",
}  # fmt: skip


@pytest.mark.parametrize(
    "units",
    [
        pytest.param(read_units(DEFAULT_REFERENCE_DIR), id="shipped reference/units.csv"),
        pytest.param(province_units("31", "Hải Phòng", seed=7), id="a generated province"),
    ],
)
def test_only_state_administrative_agencies_are_state_agencies(units):
    flagged = {unit.unit_name for unit in units if unit.is_state_agency}
    provincial = {unit.unit_name for unit in units if unit.unit_kind in ("SO_NGANH", "DOAN_THE", "TW")}

    assert flagged == STATE_ADMINISTRATIVE  # 18 of the 29 provincial units; no commune (its own group)
    assert provincial == STATE_ADMINISTRATIVE | NOT_STATE_ADMINISTRATIVE


def test_the_shipped_units_are_what_sample_reference_writes():
    generated = province_units(SAMPLE_PROVINCE_CODE, SAMPLE_PROVINCE_NAME, seed=SAMPLE_SEED)

    assert read_units(DEFAULT_REFERENCE_DIR) == generated  # `python -m sample.reference` was run
