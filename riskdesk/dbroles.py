"""What a shared PostgreSQL database itself enforces: the owner, the group roles, their table
privileges, row-level security, and the triggers that set the audit trail's actor.

Everything here is idempotent: ``server init`` and ``riskdesk upgrade`` apply it after the
migrations, so a table added by a later migration gets its privileges and triggers too. SQLite
has none of this (one person's file; the operating system's file permissions guard it).

Threat model, in short: a person connects with their own login and may use psql instead of
riskdesk; they must be able to do no more than the window lets their role do. The PostgreSQL
superuser and members of ``riskdesk_owner`` (the database administrator who runs upgrades) are
trusted: they can change the schema, so they are outside what the database can refuse.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

from riskdesk.domain.permissions import (
    ASSIGNABLE,
    CLINICAL_ENTITIES,
    COMPLAINT_ENTITIES,
    FOI_ENTITIES,
    INCIDENT_ENTITIES,
    OMBUDSMAN_ENTITIES,
    Permission,
    Role,
    allows,
    group_role,
)

#: Owns every table and runs migrations; no person logs in as it.
OWNER_ROLE = "riskdesk_owner"
GROUP_ROLES: tuple[str, ...] = tuple(group_role(r) for r in ASSIGNABLE)

# Tables by what they hold. A table not listed (a later migration's) is readable by every role
# and writable by administrators only until it is classified here.
REGISTER_TABLES = (
    "setting", "scheme_version", "department", "register", "category", "risk_department", "risk",
    "assessment", "assessment_line", "amendment", "removal", "escalation", "risk_action", "report_cycle",
    "import_mapping", "risk_control", "assurance_source", "assessment_governance",
)
#: A risk owner writes these, for their own risks (the assessment, its lines, actions, controls,
#: sources of assurance and the assessment's response and review date).
OWN_RISK_TABLES = ("assessment", "assessment_line", "risk_action", "risk_control", "assurance_source",
                   "assessment_governance")
INCIDENT_TABLES = ("serious_incident", "incident_action", "incident_review", "incident_extension", "incident_risk",
                   "lesson_risk")
CLINICAL_TABLES = ("clinical_audit", "quality_visit", "clinical_action", "pgd", "assurance_summary",
                   "assurance_entry")
PROVIDER_TABLES = ("provider", "commissioned_service")
#: FOI/EIR case facts: the information-governance team writes; link officers read their departments'.
FOI_TABLES = ("foi_request", "foi_internal_review", "foi_ico_case", "foi_report", "foi_link_officer")
#: Requesters' names and addresses: only the roles with VIEW_REQUESTER (not internal audit).
FOI_PERSONAL_TABLES = ("foi_requester",)
#: Roles that read every FOI case, and those that also write them (and read requesters).
_FOI_READERS = ("admin", "information_governance", "auditor")
_FOI_WRITERS = ("admin", "information_governance")
#: Complaint case facts (no names or contact details): the complaints roles and internal audit read them.
COMPLAINT_TABLES = ("complaint_service", "complaint_service_alias", "contact", "complaint", "complaint_stage",
                    "stage_extension", "complaint_remedy", "compliment", "casework_report")
#: The restricted personal-data area: the complaints team and administrators only (not internal audit).
COMPLAINANT_TABLES = ("complainant",)
#: Ombudsman casework and the Code self-assessment: the complaints team writes, link officers and
#: internal audit read, nobody else sees them.
OMBUDSMAN_TABLES = ("ombudsman_case", "ombudsman_extension", "ombudsman_recommendation", "ombudsman_remedy",
                    "ombudsman_published_year", "ombudsman_benchmark", "self_assessment", "self_assessment_row")
#: Never written by a person: the migration stamp and the log of audited transactions.
SYSTEM_TABLES = ("alembic_version", "riskdesk_audited_xact", "audit_chain_head", "audit_seal")

_DML = "SELECT, INSERT, UPDATE, DELETE"


def _grants() -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """(tables, privileges) per group role. The audit trail and app_user are handled apart."""
    read_all = (REGISTER_TABLES + INCIDENT_TABLES + CLINICAL_TABLES + PROVIDER_TABLES + COMPLAINT_TABLES
                + OMBUDSMAN_TABLES)
    return {
        group_role(Role.ADMIN): [(read_all + FOI_TABLES + FOI_PERSONAL_TABLES + COMPLAINANT_TABLES, _DML)],
        group_role(Role.RISK_TEAM): [(REGISTER_TABLES, _DML)],
        group_role(Role.RISK_OWNER): [(REGISTER_TABLES, "SELECT"), (OWN_RISK_TABLES, "INSERT, UPDATE, DELETE")],
        group_role(Role.PUBLIC_HEALTH): [
            (REGISTER_TABLES, "SELECT"), (OWN_RISK_TABLES, "INSERT, UPDATE, DELETE"),
            (INCIDENT_TABLES + CLINICAL_TABLES + PROVIDER_TABLES, _DML),
        ],
        group_role(Role.AUDITOR): [(read_all + FOI_TABLES, "SELECT")],
        group_role(Role.INFORMATION_GOVERNANCE): [(REGISTER_TABLES, "SELECT"),
                                                  (FOI_TABLES + FOI_PERSONAL_TABLES, _DML)],
        # Row-level security narrows these to the link officer's own departments.
        group_role(Role.FOI_READ): [(REGISTER_TABLES + FOI_TABLES, "SELECT")],
        group_role(Role.COMPLAINTS_TEAM): [(REGISTER_TABLES, "SELECT"), (COMPLAINT_TABLES + COMPLAINANT_TABLES + OMBUDSMAN_TABLES, _DML)],
        group_role(Role.COMPLAINTS_READ): [(REGISTER_TABLES + COMPLAINT_TABLES + OMBUDSMAN_TABLES, "SELECT")],
    }


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _array(values: tuple[str, ...] | frozenset[str]) -> str:
    return "ARRAY[" + ", ".join(_literal(v) for v in sorted(values)) + "]::text[]"


def role_exists(conn: Connection, name: str) -> bool:
    return bool(conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name}).scalar())


def public_tables(conn: Connection) -> list[str]:
    return list(conn.execute(text(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")).scalars())


# -- functions, triggers and row-level security (schema level: the migration applies these) -------


def _functions_sql() -> list[str]:
    # The order matters (the most powerful role wins), so it is not sorted.
    order = "ARRAY[" + ", ".join(_literal(g) for g in GROUP_ROLES) + "]::text[]"
    confidential = INCIDENT_ENTITIES | CLINICAL_ENTITIES
    foi_roles = ", ".join(_literal(r) for r in (*_FOI_READERS, "foi_read"))
    complaints = COMPLAINT_ENTITIES - confidential

    def readers(permission: Permission) -> str:
        return ", ".join(_literal(r.value) for r in Role if allows(r, permission))
    return [
        # The riskdesk role of the connected person, from the group roles they are a direct member of
        # (the most powerful wins); 'none' when they have none. session_user, not current_user: SET
        # ROLE cannot change who is connected.
        f"""
        CREATE OR REPLACE FUNCTION riskdesk_role() RETURNS text LANGUAGE sql STABLE
        SET search_path = pg_catalog AS $$
          SELECT CASE WHEN r.rolsuper THEN 'admin' ELSE coalesce((
            SELECT substr(g.rolname, 10) FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
            WHERE m.member = r.oid AND g.rolname::text = ANY ({order})
            ORDER BY array_position({order}, g.rolname::text) LIMIT 1), 'none') END
          FROM pg_roles r WHERE r.rolname = session_user
        $$""",
        """
        CREATE OR REPLACE FUNCTION riskdesk_is_superuser() RETURNS boolean LANGUAGE sql STABLE
        SET search_path = pg_catalog AS $$
          SELECT coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = session_user), false)
        $$""",
        # Whether the connected person owns a risk (its owner is their riskdesk user).
        """
        CREATE OR REPLACE FUNCTION riskdesk_owns_risk(rid integer) RETURNS boolean LANGUAGE sql STABLE
        SECURITY DEFINER SET search_path = public, pg_temp AS $$
          SELECT EXISTS (SELECT 1 FROM risk r JOIN app_user u ON u.id = r.owner_id
                         WHERE r.id = rid AND u.login = session_user AND u.active)
        $$""",
        """
        CREATE OR REPLACE FUNCTION riskdesk_owns_assessment(aid integer) RETURNS boolean LANGUAGE sql STABLE
        SECURITY DEFINER SET search_path = public, pg_temp AS $$
          SELECT EXISTS (SELECT 1 FROM assessment a WHERE a.id = aid AND riskdesk_owns_risk(a.risk_id))
        $$""",
        f"""
        CREATE OR REPLACE FUNCTION riskdesk_may_read_entity(kind text) RETURNS boolean LANGUAGE sql STABLE
        SET search_path = public, pg_temp AS $$
          SELECT CASE
            WHEN kind = ANY ({_array(confidential)}) THEN riskdesk_role() IN ('admin', 'public_health', 'auditor')
            WHEN kind = ANY ({_array(complaints)})
              THEN riskdesk_role() IN ('admin', 'complaints_team', 'complaints_read', 'auditor')
            WHEN kind = ANY ({_array(OMBUDSMAN_ENTITIES)})
              THEN riskdesk_role() IN ({readers(Permission.VIEW_COMPLAINTS)})
            WHEN kind = ANY ({_array(FOI_ENTITIES)}) THEN riskdesk_role() IN ({foi_roles})
            ELSE true END
        $$""",
        # Whether the connected person may read an FOI request with these departments: every
        # request for the FOI readers; a link officer only those of a department mapped to them.
        # plpgsql, not sql: its body is not checked against tables that a migration before
        # 0016 (which also applies this) has not created yet.
        f"""
        CREATE OR REPLACE FUNCTION riskdesk_foi_visible(depts text) RETURNS boolean LANGUAGE plpgsql STABLE
        SECURITY DEFINER SET search_path = public, pg_temp AS $$
        BEGIN
          RETURN riskdesk_role() IN ({", ".join(_literal(r) for r in _FOI_READERS)})
                 OR (riskdesk_role() = 'foi_read' AND EXISTS (
                     SELECT 1 FROM foi_link_officer l WHERE l.login = session_user
                     AND l.department = ANY (string_to_array(depts, ' '))));
        END $$""",
        """
        CREATE OR REPLACE FUNCTION riskdesk_foi_request_visible(rid integer) RETURNS boolean
        LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        BEGIN
          RETURN EXISTS (SELECT 1 FROM foi_request r WHERE r.id = rid AND riskdesk_foi_visible(r.departments));
        END $$""",
        # Transactions that wrote a riskdesk audit entry. Only the trigger functions (owner's
        # rights) touch it; no login has any privilege on it.
        "CREATE TABLE IF NOT EXISTS riskdesk_audited_xact (xact bigint PRIMARY KEY)",
        "REVOKE ALL ON riskdesk_audited_xact FROM PUBLIC",
        # audit_entry_10_actor: the server, not the client, says who wrote an entry and when.
        # A superuser (the database administrator) may name the person acted for, as riskdesk's
        # tests and scripted loads do, but os_login still shows that it was them.
        """
        CREATE OR REPLACE FUNCTION riskdesk_audit_actor() RETURNS trigger LANGUAGE plpgsql
        SECURITY DEFINER SET search_path = public, pg_temp AS $$
        BEGIN
          IF NOT riskdesk_is_superuser() OR NEW.user_login IS NULL OR NEW.user_login = '' THEN
            NEW.user_login := session_user;
            NEW.at := now() AT TIME ZONE 'UTC';
          END IF;
          NEW.os_login := session_user;
          IF NEW.action NOT LIKE 'db.%' THEN
            INSERT INTO riskdesk_audited_xact VALUES (txid_current()) ON CONFLICT DO NOTHING;
          END IF;
          RETURN NEW;
        END $$""",
        "DROP TRIGGER IF EXISTS audit_entry_10_actor ON audit_entry",
        "CREATE TRIGGER audit_entry_10_actor BEFORE INSERT ON audit_entry "
        "FOR EACH ROW EXECUTE FUNCTION riskdesk_audit_actor()",
        # A change in a transaction that wrote no audit entry (psql, a script) is recorded at
        # commit, naming the login, with the row before and after.
        """
        CREATE OR REPLACE FUNCTION riskdesk_direct_change() RETURNS trigger LANGUAGE plpgsql
        SECURITY DEFINER SET search_path = public, pg_temp AS $$
        DECLARE
          row_id integer;
        BEGIN
          IF EXISTS (SELECT 1 FROM riskdesk_audited_xact WHERE xact = txid_current()) THEN
            RETURN NULL;
          END IF;
          BEGIN
            row_id := coalesce(to_jsonb(NEW) ->> 'id', to_jsonb(OLD) ->> 'id')::integer;
          EXCEPTION WHEN others THEN
            row_id := NULL;
          END;
          INSERT INTO audit_entry (at, user_login, action, entity, entity_id, label, changes, note, os_login)
          VALUES (now() AT TIME ZONE 'UTC', session_user, 'db.' || lower(TG_OP), TG_TABLE_NAME, row_id,
                  left(TG_TABLE_NAME || ' ' || coalesce(row_id::text, ''), 200),
                  json_build_object('old', to_json(OLD), 'new', to_json(NEW)),
                  'Changed directly in the database, not through riskdesk', session_user);
          RETURN NULL;
        END $$""",
    ]


def _policies_sql(tables: list[str]) -> list[str]:
    out: list[str] = []

    def policies(table: str, *sql: str) -> None:
        out.append(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        for name in ("riskdesk_read", "riskdesk_write", "riskdesk_insert", "riskdesk_change", "riskdesk_remove"):
            out.append(f"DROP POLICY IF EXISTS {name} ON {table}")
        out.extend(sql)

    own = {"assessment": "riskdesk_owns_risk(risk_id)", "risk_action": "riskdesk_owns_risk(risk_id)",
           "assessment_line": "riskdesk_owns_assessment(assessment_id)",
           "risk_control": "riskdesk_owns_risk(risk_id)", "assurance_source": "riskdesk_owns_risk(risk_id)",
           "assessment_governance": "riskdesk_owns_assessment(assessment_id)"}
    for table, check in own.items():
        if table in tables:
            rule = f"(riskdesk_role() IN ('admin', 'risk_team') OR {check})"
            policies(table,
                     f"CREATE POLICY riskdesk_read ON {table} FOR SELECT USING (true)",
                     f"CREATE POLICY riskdesk_write ON {table} FOR ALL USING {rule} WITH CHECK {rule}")
    writers = "(riskdesk_role() IN (" + ", ".join(_literal(r) for r in _FOI_WRITERS) + "))"
    foi_read = {"foi_request": "riskdesk_foi_visible(departments)",
                "foi_internal_review": "riskdesk_foi_request_visible(request_id)",
                "foi_ico_case": "riskdesk_foi_request_visible(request_id)",
                "foi_requester": writers}
    for table, check in foi_read.items():
        if table in tables:
            policies(table,
                     f"CREATE POLICY riskdesk_read ON {table} FOR SELECT USING ({check})",
                     f"CREATE POLICY riskdesk_write ON {table} FOR ALL USING {writers} WITH CHECK {writers}")
    if "audit_entry" in tables:
        policies("audit_entry",
                 "CREATE POLICY riskdesk_read ON audit_entry FOR SELECT USING (riskdesk_may_read_entity(entity))",
                 "CREATE POLICY riskdesk_insert ON audit_entry FOR INSERT WITH CHECK (true)")
    if "app_user" in tables:
        policies("app_user",
                 "CREATE POLICY riskdesk_read ON app_user FOR SELECT USING (true)",
                 # Anyone with a role may add themselves, with their true role; the risk team adds others.
                 "CREATE POLICY riskdesk_insert ON app_user FOR INSERT WITH CHECK "
                 "(riskdesk_role() IN ('admin', 'risk_team') "
                 " OR (login = session_user AND role = riskdesk_role() AND riskdesk_role() <> 'none'))",
                 "CREATE POLICY riskdesk_change ON app_user FOR UPDATE USING (riskdesk_role() = 'admin')",
                 "CREATE POLICY riskdesk_remove ON app_user FOR DELETE USING (riskdesk_role() = 'admin')")
    for table in tables:
        if table in SYSTEM_TABLES or table == "audit_entry":
            continue
        out.append(f"DROP TRIGGER IF EXISTS riskdesk_direct_change ON {_q(table)}")
        out.append(f"CREATE CONSTRAINT TRIGGER riskdesk_direct_change AFTER INSERT OR UPDATE OR DELETE ON {_q(table)} "
                   "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION riskdesk_direct_change()")
    return out


def apply_schema_security(conn: Connection) -> None:
    """Functions, triggers and row-level security (PostgreSQL); needs no roles to exist."""
    for sql in _functions_sql():
        conn.execute(text(sql))
    for sql in _policies_sql(public_tables(conn)):
        conn.execute(text(sql))
    if all(role_exists(conn, g) for g in GROUP_ROLES):
        apply_grants(conn)


# -- roles and privileges (cluster level: server init creates them) ------------------------------


def apply_grants(conn: Connection) -> None:
    """Exactly the privileges each group role needs, on every table there is now."""
    tables = public_tables(conn)
    everyone = ", ".join(GROUP_ROLES)
    conn.execute(text(f"GRANT USAGE ON SCHEMA public TO {everyone}"))
    for table in tables:
        conn.execute(text(f"REVOKE ALL ON {_q(table)} FROM PUBLIC, {everyone}"))
    known = set(REGISTER_TABLES + INCIDENT_TABLES + CLINICAL_TABLES + PROVIDER_TABLES + SYSTEM_TABLES
                + FOI_TABLES + FOI_PERSONAL_TABLES + COMPLAINT_TABLES + COMPLAINANT_TABLES + OMBUDSMAN_TABLES)
    known |= {"audit_entry", "app_user"}
    for group, rules in _grants().items():
        for group_tables, privileges in rules:
            for table in group_tables:
                if table in tables:
                    conn.execute(text(f"GRANT {privileges} ON {_q(table)} TO {group}"))
    for table in tables:
        if table not in known:
            conn.execute(text(f"GRANT SELECT ON {_q(table)} TO {everyone}"))
            conn.execute(text(f"GRANT {_DML} ON {_q(table)} TO {group_role(Role.ADMIN)}"))
    # Everyone with a role reads the schema stamp (to know an upgrade is due), the people list
    # and the audit trail (row-level security hides entries about incidents from those who may
    # not see incidents); they add to the trail and add themselves; nobody updates or deletes it.
    if "alembic_version" in tables:  # so that a login with no role is told so, not "permission denied"
        conn.execute(text("GRANT SELECT ON alembic_version TO PUBLIC"))
    # The chain head and the seals are moved only by the owner's functions; everyone may read them.
    for table in ("app_user", "audit_entry", "audit_chain_head", "audit_seal"):
        if table in tables:
            conn.execute(text(f"GRANT SELECT ON {_q(table)} TO {everyone}"))
    for table in ("app_user", "audit_entry"):
        if table in tables:
            conn.execute(text(f"GRANT INSERT ON {_q(table)} TO {everyone}"))
    if "app_user" in tables:
        conn.execute(text(f"GRANT UPDATE, DELETE ON app_user TO {group_role(Role.ADMIN)}"))
    if "riskdesk_audited_xact" in tables:  # so that an administrator's pg_dump can read every table
        conn.execute(text(f"GRANT SELECT ON riskdesk_audited_xact TO {group_role(Role.ADMIN)}"))
    conn.execute(text(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {everyone}"))
    conn.execute(text(f"GRANT SELECT ON ALL SEQUENCES IN SCHEMA public TO {group_role(Role.ADMIN)}"))  # pg_dump


def create_roles(conn: Connection) -> list[str]:
    """The owner and the group roles, where missing; returns those created."""
    made = []
    for name in (OWNER_ROLE, *GROUP_ROLES):
        if not role_exists(conn, name):
            conn.execute(text(f"CREATE ROLE {name} NOLOGIN"))
            made.append(name)
    # riskdesk administrators give and take the other roles (GRANT … TO a login); only the
    # database administrator makes another riskdesk administrator.
    for name in GROUP_ROLES:
        if name != group_role(Role.ADMIN):
            conn.execute(text(f"GRANT {name} TO {group_role(Role.ADMIN)} WITH ADMIN OPTION"))
    return made


def take_ownership(conn: Connection) -> None:
    """Give every table, sequence and riskdesk function in the schema to the owner role."""
    for table in public_tables(conn):
        conn.execute(text(f"ALTER TABLE {_q(table)} OWNER TO {OWNER_ROLE}"))
    for seq in conn.execute(text("SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'")).scalars():
        conn.execute(text(f"ALTER SEQUENCE {_q(seq)} OWNER TO {OWNER_ROLE}"))
    for fn in conn.execute(text(
        "SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
        "WHERE n.nspname = 'public' AND (p.proname LIKE 'riskdesk\\_%' OR p.proname LIKE 'audit\\_entry\\_%')"
    )).scalars():
        conn.execute(text(f"ALTER FUNCTION {fn} OWNER TO {OWNER_ROLE}"))
