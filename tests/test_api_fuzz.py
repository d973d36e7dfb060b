"""Schemathesis against the app's own OpenAPI spec: generated requests to every route, no server error.

The admin routes are fuzzed with admin actions off (a fuzzer with the token would start crawls and
probe made-up URLs); test_admin.py covers them with the token.
"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings

from crawler.api import create_app
from tests.test_api import article


def test_no_generated_request_gets_a_server_error(config, store):
    store.upsert_articles([article(n) for n in range(8)] + [article(20, portal="camtu", title="Hội nghị ở Mường Lát")])
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(config, store, admin_token=""))
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 12  # every route of the spec, the admin ones included

    calls: dict[str, int] = {}
    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def no_server_error(case):
            response = case.call()
            calls[operation.label] = calls.get(operation.label, 0) + 1
            assert response.status_code < 500, (operation.label, case.path_parameters, case.query, response.text[:300])

        no_server_error()
    assert set(calls) == {operation.label for operation in operations} and sum(calls.values()) >= 10 * len(operations)
