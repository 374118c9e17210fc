"""The casework features' tables are defined on first use, and safely while other threads query.

Each check runs in a fresh interpreter: in the test process every model is long since defined.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap


def _run(code: str) -> dict:
    out = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_the_register_is_defined_at_once_and_each_feature_on_first_use():
    got = _run("""
        import json, sys
        import riskdesk.models as models
        from riskdesk.models import Base

        def features():
            return sorted(m.rsplit(".", 1)[1] for m in sys.modules if m.startswith("riskdesk.models.")
                          and m.rsplit(".", 1)[1] not in ("base", "people", "register", "audit", "calendar"))

        at_import = features()
        register_tables = {"risk", "assessment", "audit_entry", "app_user"} <= set(Base.metadata.tables)
        from riskdesk.models import Complaint
        after_complaint = features()
        same = models.Complaint is Complaint
        models.load_all()
        print(json.dumps({"at_import": at_import, "register": register_tables, "after": after_complaint,
                          "same": same, "all": features(), "complaint": "complaint" in Base.metadata.tables,
                          "lesson_risk": "lesson_risk" in Base.metadata.tables}))
    """)
    assert got["at_import"] == []
    assert got["register"]
    assert got["after"] == ["complaints"]
    assert got["same"]
    assert got["all"] == ["clinical", "complaints", "cycles", "foi", "governance", "importing", "incidents",
                          "ombudsman", "providers"]
    assert got["complaint"] and got["lesson_risk"]


def test_a_query_on_another_thread_waits_while_a_features_tables_are_half_defined():
    """Thread A defines the complaints tables and is held just after the first class's mapper is
    built (``ComplaintService``, whose relationship names a class defined further down). Thread B
    configures the mappers meanwhile, as its next query would. B must wait for A's module to
    finish: configured half-way, the relationship cannot resolve and every mapper is refused."""
    got = _run("""
        import json, threading
        from sqlalchemy import event
        from sqlalchemy.orm import Mapper, configure_mappers
        import riskdesk.models as models

        held, go = threading.Event(), threading.Event()

        @event.listens_for(Mapper, "after_mapper_constructed")
        def hold(mapper, cls):
            if cls.__module__ == "riskdesk.models.complaints" and not held.is_set():
                held.set()
                go.wait(30)

        a = threading.Thread(target=lambda: models.Complaint)
        a.start()
        held.wait(30)
        result = {}

        def configure():
            try:
                configure_mappers()
                result["configured"] = True
            except Exception as exc:
                result["error"] = repr(exc)[:300]

        b = threading.Thread(target=configure)
        b.start()
        b.join(1.0)
        result["waited"] = b.is_alive()
        go.set()
        a.join(30)
        b.join(30)
        from sqlalchemy import select
        from riskdesk.models import ComplaintService
        result["query compiles"] = "complaint_service" in str(select(ComplaintService))
        print(json.dumps(result))
    """)
    print(got)
    assert got.get("error") is None
    assert got["waited"]
    assert got["configured"] and got["query compiles"]


def test_every_model_is_named_once_and_found_where_the_package_says():
    """A model added to a feature's module but not to its list would be unreachable by name."""
    import riskdesk.models as models
    from riskdesk.models import Base

    models.load_all()
    defined: dict[str, set[str]] = {}
    for mapper in Base.registry.mappers:
        cls = mapper.class_
        defined.setdefault(cls.__module__.rsplit(".", 1)[1], set()).add(cls.__name__)
    for module, names in models._FEATURES.items():
        assert set(names) == defined.pop(module), module
    eager = {name for names in defined.values() for name in names}
    assert eager <= set(models.__all__)
    assert sorted(models.__all__) == sorted(eager | set(models._MODULE_OF) | {"Base"})
    assert all(getattr(models, name) is not None for name in models.__all__)
