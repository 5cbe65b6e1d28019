"""schemathesis against the portal's own OpenAPI schema (issue 15): every operation of `/api/v1`,
cases generated from the schema (valid and invalid), sent in-process to the ASGI app of a real warehouse
with the HTTP Basic credentials of real accounts (a unit, a province officer, the ministry). No 5xx, and
every response conforms to what the schema declares (status code, content type, body schema, headers).
Uploads here are garbage workbooks: each must be answered 200 (rejected) or 4xx, never 5xx."""

from __future__ import annotations

import base64
from collections import Counter

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import negative_data_rejection

from portal.accounts import Store
from tests.portal.conftest import PASSWORD

MAX_EXAMPLES = 30  # per operation and mode (accounts drawn among three): about a minute in all
# Accounts of their own: cases with broken credentials count as failed logins, and ten lock an account.
ACCOUNTS = ("fuzz_donvi", "fuzz_snv", "fuzz_bo")


def _basic(login: str) -> dict:
    return {"Authorization": "Basic " + base64.b64encode(f"{login}:{PASSWORD}".encode()).decode()}


def test_the_api_holds_to_its_own_schema(world):
    store = Store(world.portal_db)
    for login, role, extra in zip(ACCOUNTS, ("unit", "province", "ministry"),
                                  ({"unit_code": world.unit_a, "province_code": "24"}, {"province_code": "24"}, {}),
                                  strict=True):  # fmt: skip
        if store.account(login) is None:
            store.add(login, role, PASSWORD, **extra)
    app = world.app()
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {op.path for op in operations} == {"/api/v1/submissions", "/api/v1/status",
                                               "/api/v1/reports/{year}/{period}/workbook"}  # fmt: skip
    cases, codes = Counter(), Counter()
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            _fuzz(operation, mode, cases, codes)
    total = sum(cases.values())
    print(f"\nschemathesis: {total} cases")
    for key, count in sorted(cases.items()):
        print(f"  {key[0]} [{key[1]}]: {count}")
    for key, count in sorted(codes.items()):
        print(f"  {key[0]} [{key[1]}] → {key[2]}: {count}")
    assert total > 100
    assert not [key for key in codes if key[2] >= 500]  # also schemathesis's own not_a_server_error check
    assert not [key for key in codes if key[1] == "positive" and key[2] == 401]  # the credentials were valid
    assert {key[0] for key in codes if key[2] == 200} >= {"GET /api/v1/status", "POST /api/v1/submissions"}


def _fuzz(operation, mode: GenerationMode, cases: Counter, codes: Counter) -> None:
    """MAX_EXAMPLES cases of one operation in one mode, each sent with one account's valid credentials."""
    upload = operation.path == "/api/v1/submissions"
    # A multipart "file" of any declared type is bytes on the wire, and any bytes are a file the portal
    # must judge: for uploads, "invalid data" is a rejected workbook (200), not a 4xx.
    excluded = [negative_data_rejection] if upload else None
    with_login = st.sampled_from(ACCOUNTS).flatmap(
        lambda login: st.tuples(operation.as_strategy(generation_mode=mode, headers=_basic(login)), st.just(login))
    )

    @given(case_login=with_login)
    @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    def run(case_login):
        case, login = case_login
        response = case.call_and_validate(headers=_basic(login), excluded_checks=excluded)
        if upload and response.status_code == 200:
            assert response.json()["status"] == "rejected", response.text  # garbage is never accepted
        cases[(operation.label, mode.value)] += 1
        codes[(operation.label, mode.value, response.status_code)] += 1

    run()
