"""Written by ``python -m riskdesk.services.first_look_build``: do not edit.

The window's first read (READS) and a draft cycle's appendix (APPENDIX_READS), compiled for SQLite
from the services' statements (see that module):
name: (SQL, parameters, how each result column is read).
"""

from typing import Any

SCHEMA_HEAD = '0018_foi_source_reference'

READS: dict[str, tuple[str, tuple[tuple[str | None, Any], ...], tuple[str, ...]]] = {
    'user': (
        """SELECT app_user.id, app_user.login, app_user.display_name, app_user.job_title, app_user.role, app_user.active
FROM app_user
WHERE app_user.login = ?""",
        (('login', None),),
        ('', '', '', '', '', 'bool'),
    ),
    'scheme': (
        """SELECT scheme_version.data
FROM scheme_version ORDER BY scheme_version.version DESC
 LIMIT ? OFFSET ?""",
        ((None, 1), (None, 0)),
        ('json',),
    ),
    'period': (
        """SELECT setting.value
FROM setting
WHERE setting."key" = ?""",
        ((None, 'current_period'),),
        ('text',),
    ),
    'register_counts': (
        """SELECT risk.register_id, count(*) AS count_1
FROM risk
WHERE risk.status = ? GROUP BY risk.register_id""",
        ((None, 'current'),),
        ('', ''),
    ),
    'registers': (
        """SELECT register.id, register.name, register.kind, department.code
FROM register LEFT OUTER JOIN department ON department.id = register.department_id ORDER BY register.kind != ?, register.name""",
        ((None, 'corporate'),),
        ('', '', '', ''),
    ),
    'risks': (
        """SELECT risk.id, risk.register_id, risk.ref, risk.category_id, risk.description, risk.service_area, risk.departments_text, risk.owner_id, risk.status, risk.exempt, risk.version, risk.first_presented_on, category.number, category.name, category.retired, category.heading_as_given, category.position, app_user.display_name, assessment_1.id AS a_id, assessment_1.period, assessment_1.current_impact, assessment_1.current_likelihood, assessment_1.target_impact, assessment_1.target_likelihood, assessment_1.note, assessment_1.direction, assessment_1.direction_text, assessment_1.update_text, assessment_1.scheme_id AS a_scheme_id, assessment_1.version AS a_version, (SELECT group_concat(assessment_2.period || ? || CAST(assessment_2.current_impact * assessment_2.current_likelihood AS VARCHAR) || ? || coalesce(CAST(assessment_2.target_impact * assessment_2.target_likelihood AS VARCHAR), ?), ',') AS aggregate_strings_1
FROM assessment AS assessment_2
WHERE assessment_2.risk_id = risk.id) AS history
FROM risk LEFT OUTER JOIN category ON category.id = risk.category_id LEFT OUTER JOIN app_user ON app_user.id = risk.owner_id LEFT OUTER JOIN assessment AS assessment_1 ON assessment_1.risk_id = risk.id AND assessment_1.period = (SELECT max(assessment_3.period) AS max_1
FROM assessment AS assessment_3
WHERE assessment_3.risk_id = risk.id)
WHERE risk.register_id = ? AND risk.status = ?""",
        ((None, ' '), (None, ' '), (None, ''), ('register_id', None), (None, 'current')),
        ('', '', '', '', 'text', '', '', '', '', 'bool', '', 'date', '', '', 'bool', '', '', '', '', '', '', '', '', '', '', '', '', 'text', '', '', ''),
    ),
    'risk_departments': (
        """SELECT risk_department.risk_id, department.code
FROM risk_department JOIN department ON department.id = risk_department.department_id JOIN risk ON risk.id = risk_department.risk_id
WHERE risk.register_id = ? AND risk.status = ? ORDER BY risk_department.risk_id, risk_department.position""",
        (('register_id', None), (None, 'current')),
        ('', ''),
    ),
    'risk_lines': (
        """SELECT assessment_line.assessment_id, assessment_line.label, assessment_line.current_impact, assessment_line.current_likelihood, assessment_line.target_impact, assessment_line.target_likelihood, assessment_line.note
FROM assessment_line JOIN assessment ON assessment.id = assessment_line.assessment_id JOIN risk ON risk.id = assessment.risk_id
WHERE risk.register_id = ? AND risk.status = ? ORDER BY assessment_line.assessment_id, assessment_line.position""",
        (('register_id', None), (None, 'current')),
        ('', '', '', '', '', '', ''),
    ),
    'schemes': (
        """SELECT scheme_version.id, scheme_version.data
FROM scheme_version""",
        (),
        ('', 'json'),
    ),
    'departments': (
        """SELECT department.id, department.code, department.name, department.active
FROM department ORDER BY department.code""",
        (),
        ('', '', '', 'bool'),
    ),
    'category_counts': (
        """SELECT risk.category_id, count(*) AS count_1
FROM risk
WHERE risk.register_id = ? AND risk.status = ? GROUP BY risk.category_id""",
        (('register_id', None), (None, 'current')),
        ('', ''),
    ),
    'categories': (
        """SELECT category.id, category.register_id, category.number, category.name, category.retired, category.position, category.heading_as_given, category.version
FROM category
WHERE category.register_id = ? ORDER BY category.position""",
        (('register_id', None),),
        ('', '', '', '', 'bool', '', '', ''),
    ),
    'users': (
        """SELECT app_user.id, app_user.login, app_user.display_name, app_user.job_title, app_user.role, app_user.active
FROM app_user ORDER BY app_user.display_name""",
        (),
        ('', '', '', '', '', 'bool'),
    ),
    'council': (
        """SELECT setting.value
FROM setting
WHERE setting."key" = ?""",
        ((None, 'council_name'),),
        ('text',),
    ),
}

APPENDIX_READS: dict[str, tuple[str, tuple[tuple[str | None, Any], ...], tuple[str, ...]]] = {
    'user': (
        """SELECT app_user.id, app_user.login, app_user.display_name, app_user.job_title, app_user.role, app_user.active
FROM app_user
WHERE app_user.login = ?""",
        (('login', None),),
        ('', '', '', '', '', 'bool'),
    ),
    'cycles': (
        """SELECT report_cycle.id, report_cycle.register_id, report_cycle.meeting_date, report_cycle.meeting_title, report_cycle.title, report_cycle.appendix_label, report_cycle.update_heading, report_cycle.period, report_cycle.status, register.kind
FROM report_cycle LEFT OUTER JOIN register ON register.id = report_cycle.register_id ORDER BY report_cycle.meeting_date DESC, report_cycle.id DESC""",
        (),
        ('', '', 'date', '', '', '', '', '', '', ''),
    ),
    'register': (
        """SELECT register.name
FROM register
WHERE register.id = ?""",
        (('register_id', None),),
        ('',),
    ),
    'risks': (
        """SELECT risk.id, risk.register_id, risk.ref, risk.category_id, risk.description, risk.service_area, risk.departments_text, risk.owner_id, risk.status, risk.exempt, risk.version, risk.first_presented_on, category.number, category.name, category.retired, category.heading_as_given, category.position, app_user.display_name, assessment_1.id AS a_id, assessment_1.period, assessment_1.current_impact, assessment_1.current_likelihood, assessment_1.target_impact, assessment_1.target_likelihood, assessment_1.note, assessment_1.direction, assessment_1.direction_text, assessment_1.update_text, assessment_1.scheme_id AS a_scheme_id, assessment_1.version AS a_version, (SELECT group_concat(assessment_2.period || ? || CAST(assessment_2.current_impact * assessment_2.current_likelihood AS VARCHAR) || ? || coalesce(CAST(assessment_2.target_impact * assessment_2.target_likelihood AS VARCHAR), ?), ',') AS aggregate_strings_1
FROM assessment AS assessment_2
WHERE assessment_2.risk_id = risk.id) AS history
FROM risk LEFT OUTER JOIN category ON category.id = risk.category_id LEFT OUTER JOIN app_user ON app_user.id = risk.owner_id LEFT OUTER JOIN assessment AS assessment_1 ON assessment_1.risk_id = risk.id AND assessment_1.period = (SELECT max(assessment_3.period) AS max_1
FROM assessment AS assessment_3
WHERE assessment_3.risk_id = risk.id)
WHERE risk.register_id = ? AND risk.status = ?""",
        ((None, ' '), (None, ' '), (None, ''), ('register_id', None), (None, 'current')),
        ('', '', '', '', 'text', '', '', '', '', 'bool', '', 'date', '', '', 'bool', '', '', '', '', '', '', '', '', '', '', '', '', 'text', '', '', ''),
    ),
    'risk_departments': (
        """SELECT risk_department.risk_id, department.code
FROM risk_department JOIN department ON department.id = risk_department.department_id JOIN risk ON risk.id = risk_department.risk_id
WHERE risk.register_id = ? AND risk.status = ? ORDER BY risk_department.risk_id, risk_department.position""",
        (('register_id', None), (None, 'current')),
        ('', ''),
    ),
    'risk_lines': (
        """SELECT assessment_line.assessment_id, assessment_line.label, assessment_line.current_impact, assessment_line.current_likelihood, assessment_line.target_impact, assessment_line.target_likelihood, assessment_line.note
FROM assessment_line JOIN assessment ON assessment.id = assessment_line.assessment_id JOIN risk ON risk.id = assessment.risk_id
WHERE risk.register_id = ? AND risk.status = ? ORDER BY assessment_line.assessment_id, assessment_line.position""",
        (('register_id', None), (None, 'current')),
        ('', '', '', '', '', '', ''),
    ),
    'schemes': (
        """SELECT scheme_version.id, scheme_version.version, scheme_version.data
FROM scheme_version""",
        (),
        ('', '', 'json'),
    ),
    'scored_under': (
        """SELECT assessment.scheme_id
FROM assessment JOIN risk ON risk.id = assessment.risk_id
WHERE risk.register_id = ? AND risk.status = ? ORDER BY assessment.period DESC, assessment.scheme_id DESC
 LIMIT ? OFFSET ?""",
        (('register_id', None), (None, 'current'), (None, 1), (None, 0)),
        ('',),
    ),
    'categories': (
        """SELECT category.id, category.number, category.name, category.retired, category.heading_as_given
FROM category
WHERE category.register_id = ? ORDER BY category.position""",
        (('register_id', None),),
        ('', '', '', 'bool', ''),
    ),
    'settings': (
        """SELECT setting."key", setting.value
FROM setting
WHERE setting."key" = ? OR setting."key" = ? OR setting."key" = ? OR setting."key" = ?""",
        ((None, 'council_name'), (None, 'appendix_footnotes'), (None, 'appendix_columns'), (None, 'appendix_appetite_mark')),
        ('', 'text'),
    ),
    'departments': (
        """SELECT department.code, department.name
FROM department
WHERE department.active IS 1 ORDER BY department.id""",
        (),
        ('', ''),
    ),
    'removed': (
        """SELECT removal.removed_on, removal.reason, removal.score, removal.impact, removal.likelihood, risk.id AS risk_id, risk.ref, risk.description, risk.departments_text, risk.exempt
FROM removal JOIN risk ON risk.id = removal.risk_id
WHERE risk.register_id = ? AND risk.status = ? AND removal.restored_on IS NULL AND removal.removed_on >= ? ORDER BY removal.removed_on, removal.id""",
        (('register_id', None), (None, 'removed'), ('since', None)),
        ('date', 'text', '', '', '', '', '', 'text', '', 'bool'),
    ),
    'removed_departments': (
        """SELECT risk_department.risk_id, department.code
FROM risk_department JOIN department ON department.id = risk_department.department_id
WHERE risk_department.risk_id IN (SELECT removal.risk_id
FROM removal JOIN risk ON risk.id = removal.risk_id
WHERE risk.register_id = ? AND risk.status = ? AND removal.restored_on IS NULL AND removal.removed_on >= ?) ORDER BY risk_department.risk_id, risk_department.position""",
        (('register_id', None), (None, 'removed'), ('since', None)),
        ('', ''),
    ),
}
