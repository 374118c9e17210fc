"""The Code self-assessment templates, as data (SPEC D.7, F.6).
# ruff: noqa: E501  (the requirements are printed text, one row per line)

``LGSCO-DRAFT-2023`` is the template the Ombudsman consulted on in November 2023, transcribed from the
committee papers (000:1841-1977; generated from that text, not typed). Each row: section number, section
title, sub-heading ("Stage 1", "Stage 2 Review", "Further stages" or ""), Code reference, requirement
(the transcript's HTML list markup turned into "– " lines). The section comes from the Code reference:
the transcript prints the Section 8 heading after rows 8.1 and 8.2.

``LGSCO-2024`` is the reduced template of the final Code (February 2024), which the committee was told
"has been greatly reduced in detail from the original draft" (001:54, its Appendix C). Appendix C itself is
not in the seed text (SPEC J.1), so the rows come from councils that publish the template filled in,
word for word as they print it: one row per Code section ("Code section / Action / Do we follow the
Code: Yes/No / Explanations and Commentary"), except Section 6, printed as two rows, Stage 1 and
Stage 2 — nine sections, ten rows. Sources per row are in ``FINAL_2024_SOURCES``. Where no source
riskdesk holds gives a row's Action wording, the row says so instead of guessing (``PENDING``): the
Code's own wording must be typed from the Ombudsman's template, not invented here.

Which template a year starts with: ``template_for(fy)`` — the final Code's for years from 2024/25 on
(councils were to use the final Code from 1 April 2024, 004:371), the draft's before.
"""

from __future__ import annotations

from dataclasses import dataclass

DRAFT_2023_ROWS: tuple[tuple[int, str, str, str, str], ...] = (
    (1, 'Definition of a complaint', '', '1.2/ 1.4', 'Complaints are defined in line with the Code and we recognise the difference between a service request and a complaint.'),
    (1, 'Definition of a complaint', '', '1.3', 'Complaints submitted via a third party or representative are handled in line with our complaints policy.'),
    (1, 'Definition of a complaint', '', '1.5', 'Individuals completing surveys are made aware of how to complain.'),
    (2, 'Exclusions', '', '2.1', 'Our policy clearly states that complaints will be accepted unless there is a valid reason not to do so.'),
    (2, 'Exclusions', '', '2.2', 'Complaints are accepted when referred to us within 12 months of the issue occurring, or the individual becoming aware of the issue.'),
    (2, 'Exclusions', '', '2.3', 'We do not exclude complaints about safeguarding, or health and safety issues.'),
    (2, 'Exclusions', '', '2.4', 'Our policy sets out the circumstances in which a matter might not be considered or escalated.'),
    (2, 'Exclusions', '', '2.5', 'Where we decline to consider a complaint we explain our reasons to the individual and signpost them to the relevant Ombudsman.'),
    (3, 'Accessibility and awareness', '', '3.1', 'We provide different channels through which individuals can make a complaint. We have considered our duties under the Equality Act 2010 and anticipated the needs of individuals who may need to access the complaints process.'),
    (3, 'Accessibility and awareness', '', '3.2', 'Individuals can raise their complaints in any way and with any member of staff. This includes complaints made directly to the organisation via social media. All staff are aware of the complaint process and able to pass details of the complaint to the appropriate person.'),
    (3, 'Accessibility and awareness', '', '3.3', 'We do not view high volumes of complaints as a negative. We analyse areas where there are low volumes of complaints to ensure individuals are able to complain.'),
    (3, 'Accessibility and awareness', '', '3.4', 'Our complaints policy is available in a clear and accessible format for all individuals. The policy is published on our website.'),
    (3, 'Accessibility and awareness', '', '3.5', 'Our complaints policy explains how we will publicise details of the complaints policy and information about the relevant Ombudsman schemes.'),
    (3, 'Accessibility and awareness', '', '3.6', 'We give individuals the opportunity to have a suitable representative deal with their complaint on their behalf, and to be represented or accompanied at any meeting with us.'),
    (3, 'Accessibility and awareness', '', '3.7', 'We provide individuals with information on their right to access the relevant Ombudsman service and how the individual can engage with the relevant Ombudsman about their complaint.'),
    (4, 'Complaint handling staff', '', '4.1', 'We have a person or team assigned to take responsibility for the complaint handling process, including liaison with the relevant Ombudsman and ensuring that complaints are reported to our governing body (or equivalent).'),
    (4, 'Complaint handling staff', '', '4.2', 'The complaints officer has access to staff at all levels to facilitate the quick resolution of complaints and report on complaint handling performance. They have the authority and autonomy to act to resolve disputes quickly and fairly.'),
    (4, 'Complaint handling staff', '', '4.3', 'We prioritise complaint handling and a culture of learning from complaints. All staff are suitably trained in the importance of complaint handling. Complaints teams are seen as a core service and not given additional roles that impact their ability to handle complaints effectively.'),
    (5, 'Complaint handling process', '', '5.1', 'We have a single policy for dealing with complaints covered by the Code.'),
    (5, 'Complaint handling process', '', '5.2', "We do not have extra named stages (such as 'stage 0' or 'informal complaint')."),
    (5, 'Complaint handling process', '', '5.3', 'We register complaints when an individual expresses dissatisfaction. We then set out our understanding of the complaint and the outcomes the individual is seeking. We seek clarification from individuals if the complaint is unclear.'),
    (5, 'Complaint handling process', '', '5.4', 'Our complaint handlers: a) clarify with the individual any aspects of the complaint they are unclear about; b) deal with complaints on their merits, act independently, and have an open mind; c) give individuals a fair chance to set out their position; d) take measures to address any actual or perceived conflict of interest; and e) consider all relevant information and evidence carefully.'),
    (5, 'Complaint handling process', '', '5.5', 'We are clear with individuals about which aspects of the complaint we are not responsible for.'),
    (5, 'Complaint handling process', '', '5.6', 'Our communication with individuals does not generally identify individual members of staff or contractors.'),
    (5, 'Complaint handling process', '', '5.7', 'Where a response to a complaint will fall outside the timescales set out in the Code we agree with individual suitable intervals for keeping them informed about their complaint.'),
    (5, 'Complaint handling process', '', '5.8', 'We make reasonable adjustments for individuals where appropriate under the Equality Act 2010. We keep a record of agreed reasonable adjustments and keep these under review.'),
    (5, 'Complaint handling process', '', '5.9', 'We do not refuse to escalate complaints unless there are valid reasons for doing so.'),
    (5, 'Complaint handling process', '', '5.10', 'We keep a full record of the complaint, and the outcomes at each stage. This includes the original complaint and the date received, all correspondence with the individual, correspondence with other parties and any relevant supporting documentation such as reports or surveys.'),
    (5, 'Complaint handling process', '', '5.11', 'We have systems in place to ensure that a complaint can be remedied at any stage of our complaints process.'),
    (5, 'Complaint handling process', '', '5.12', 'We have a policy and procedure in place for managing unacceptable behaviour from individuals and/or their representatives. We are able to evidence reasons for putting any restrictions in place and keep these restrictions under review. Restrictions are subject to an annual review as a minimum.'),
    (5, 'Complaint handling process', '', '5.13', "Any restrictions placed on an individual's contact due to unacceptable behaviour are proportionate and have regard to the provisions of the Equality Act 2010."),
    (6, 'Complaint stages', 'Stage 1', '6.1', 'We have processes in place that allow us to identify whether complaints can be responded to quickly or whether they require further consideration.'),
    (6, 'Complaint stages', 'Stage 1', '6.1', 'We take account of the complexity of the complaint and whether individuals are vulnerable or at risk when deciding how quickly we should respond to a complaint.'),
    (6, 'Complaint stages', 'Stage 1', '6.2', 'Complaints are acknowledged and logged within five working days of receipt.'),
    (6, 'Complaint stages', 'Stage 1', '6.3', 'We issue a final response to stage 1 complaints within 10 working days of the complaint being received.'),
    (6, 'Complaint stages', 'Stage 1', '6.4', 'Any extension to this timescale is taken in line with the “comply or explain” principles set out in the Code and clearly communicated to the complainant. Extensions to timescales for responding do not exceed 10 days.'),
    (6, 'Complaint stages', 'Stage 1', '6.5', 'When we inform an individual about an extension to these timescales we provide them with the contact details of the relevant Ombudsman.'),
    (6, 'Complaint stages', 'Stage 1', '6.6', 'A complaint response is sent to individuals when the answer to the complaint is known, not when the outstanding actions required to address the issue are completed. Outstanding actions are tracked and actioned promptly with appropriate updates provided to the individual.'),
    (6, 'Complaint stages', 'Stage 1', '6.7', 'We address all points raised in the complaint definition and provide clear reasons for any decisions, referencing the relevant policy, law and good practice where appropriate.'),
    (6, 'Complaint stages', 'Stage 1', '6.8', 'Where we have got something wrong we record the complaint as “upheld” even if there are elements of the complaint which are not “upheld”. We do not record complaints as being “partially upheld”.'),
    (6, 'Complaint stages', 'Stage 1', '6.9', 'We deal with additional complaints raised during the investigation or after a stage 1 response has been issued in line with the requirements of the Code.'),
    (6, 'Complaint stages', 'Stage 1', '6.10', 'We confirm the following in writing to individuals at the completion of stage 1 in clear, plain language: a. the complaint stage; b. the complaint definition c. the decision on the complaint; d. the reasons for any decisions made; e. the details of any remedy offered to put things right; f. details of any outstanding actions; and g. details of how to escalate the matter to stage 2 if the individual is not satisfied with the response.'),
    (6, 'Complaint stages', 'Stage 1', '6.11', 'We have systems in place to ensure that a complaint can be remedied at any stage of our complaints process.'),
    (6, 'Complaint stages', 'Stage 2 Review', '6.12', "We progress complaints to stage 2 where all or part of the complaint has not been resolved to the individual's satisfaction. This is sent by a staff-member authorised to speak on behalf of the organisation."),
    (6, 'Complaint stages', 'Stage 2 Review', '6.13', 'Requests for stage 2 are acknowledged and logged at stage 2 of the complaints procedure within five working days of receipt.'),
    (6, 'Complaint stages', 'Stage 2 Review', '6.14', 'Individuals do not have to explain their reasons for wanting a stage 2, simply that they remain unhappy.'),
    (6, 'Complaint stages', 'Stage 2 Review', '6.15', 'Stage 2 consideration is a review of the adequacy of the stage 1 response as well as any new and relevant information not previously considered. Stage 2 is not a more thorough, detailed investigation of the complaint.'),
    (6, 'Complaint stages', 'Stage 2 Review', '6.16', 'If any aspect of the complaint is unclear, we ask the individual for clarification. On receipt of the escalation request, we set out our understanding of any outstanding issues and the outcomes the individual is seeking.'),
    (6, 'Complaint stages', 'Stage 2 Review', '6.17', 'The person considering the complaint at stage 2 is never the same person that considered the complaint at stage 1.'),
    (6, 'Complaint stages', 'Stage 2 Review', '6.18', 'We respond to the stage 2 reviews within 20 working days of the complaint being escalated by the individual.'),
    (6, 'Complaint stages', 'Stage 2 Review', '6.19', 'Extensions to the stage 2 timescale are taken in line with the “comply or explain” principles set out in the Code and clearly communicated to the complainant.'),
    (6, 'Complaint stages', 'Stage 2 Review', '6.19', 'Extensions to the timescale for a response do not exceed 20 working days.'),
    (6, 'Complaint stages', 'Stage 2 Review', '6.20', 'When we inform an individual about an extension to stage 2 timescales they are provided with the contact details of the relevant Ombudsman.'),
    (6, 'Complaint stages', 'Stage 2 Review', '6.21', 'We confirm the following in writing to the individual at the completion of stage 2 in clear, plain language: a. the complaint stage; b. the complaint definition; c. the decision on the complaint; d. the reasons for any decisions made; e. the details of any remedy offered to put things right; f. details of any outstanding actions; and g. details of how to escalate the matter to the relevant Ombudsman Service if the individual remains dissatisfied.'),
    (6, 'Complaint stages', 'Stage 2 Review', '6.22', 'If a complaint is upheld at stage 1, and the stage 2 response agrees with those findings, we record the complaint as upheld. This is the case even if the stage 2 response finds no fault in the way the stage 1 complaint was handled.'),
    (6, 'Complaint stages', 'Further stages', '6.24', 'Our complaint process has no more than two stages.'),
    (6, 'Complaint stages', 'Further stages', '6.25', 'Complaints handled by third parties on our behalf (e.g contractors) follow the two stage process set out in the code. Individuals are not expected to go through two complaints processes.'),
    (6, 'Complaint stages', 'Further stages', '6.26', 'We ensure that any third parties handle complaints in line with the Code'),
    (7, 'Putting things right', '', '7.1', 'Where something has gone wrong we acknowledge this and set out the actions we have already taken, or intend to take, to put things right.'),
    (7, 'Putting things right', '', '7.2', 'Remedies offered reflect the impact on the individual as a result of any fault identified.'),
    (7, 'Putting things right', '', '7.3', 'Remedies offered clearly set out what will happen and by when, in agreement with the individual where appropriate. Any remedy proposed is followed through to completion.'),
    (7, 'Putting things right', '', '7.4', 'Remedies take account of the guidance on remedies issued by the relevant Ombudsman when deciding on appropriate remedies.'),
    (8, 'Self-assessment, reporting and compliance', '', '8.1', "We produce an annual complaints performance and service improvement report for scrutiny and challenge, which include: a) the annual self-assessment against this Code to ensure their complaint handling policy remains in line with its requirements. b) a qualitative and quantitative analysis of the organisation's complaint handling performance. This must also include a summary of the types of complaints the organisation has refused to accept; c) any findings of non-compliance with this Code; d) the service improvements made as a result of the learning from complaints; e) any annual report about the organisation's performance"),
    (8, 'Self-assessment, reporting and compliance', '', '8.2', "Our annual complaints performance and service improvement report is reported to our governing body (or equivalent) and published to residents. The governing body's response to the report is published alongside this"),
    (9, 'Scrutiny & oversight: Continuous learning and improvement', '', '9.1', 'We look beyond the circumstances of the individual complaint and consider whether any service improvements should be made as a result of any learning.'),
    (9, 'Scrutiny & oversight: Continuous learning and improvement', '', '9.2', 'We use complaints as a source of intelligence to identify issues and introduce positive changes in service delivery.'),
    (9, 'Scrutiny & oversight: Continuous learning and improvement', '', '9.3', 'We report back on wider learning and improvements from complaints in an annual report and more frequently to other stakeholders, such as individuals, staff and relevant committees or panels.'),
    (9, 'Scrutiny & oversight: Continuous learning and improvement', '', '9.4', 'A suitably senior executive oversees our complaint handling performance. They assess any themes or trends to identify potential systemic issues, serious risks or policies and procedures that require revision.'),
    (9, 'Scrutiny & oversight: Continuous learning and improvement', '', '9.5', 'A member of the governing body (or equivalent) has been appointed to have lead responsibility for complaints to support a positive complaint handling culture.'),
    (9, 'Scrutiny & oversight: Continuous learning and improvement', '', '9.6', "The appointed person ensures the governing body (or equivalent) receives regular information on complaints that provides insight on the organisation's complaint handling performance. This person has access to suitable information and staff to perform this role and report on their findings."),
    (9, 'Scrutiny & oversight: Continuous learning and improvement', '', '9.7', 'Our governing body (or equivalent) receives the information required under this section of the Code.'),
    (9, 'Scrutiny & oversight: Continuous learning and improvement', '', '9.8', 'We have a standard objective in relation to complaint handling for all employees that reflects the need to: • have a collaborative and co-operative approach towards resolving complaints, working with colleagues across teams and departments; • take collective responsibility for any shortfalls identified through complaints rather than blaming others; and • act within the professional standards for engaging with complaints as set by any relevant professional body.'),
)

#: The Action cell of a row whose wording riskdesk's sources do not give (printed as is, so nobody takes
#: it for the Code's text).
PENDING = ("[Action wording not yet loaded: the Ombudsman's template (001 Appendix C) is not among "
           "riskdesk's sources for this section]")

FINAL_2024_ROWS: tuple[tuple[int, str, str, str, str], ...] = (
    (1, 'Definition of a service request and complaint', '', '1', 'We recognise the difference between a service request and a complaint, and these are defined in our policies and procedures.'),
    (2, 'Exclusions', '', '2', 'Our complaints policy sets out circumstances where we would not consider a complaint. These are reasonable and do not deny individuals access to redress.'),
    (3, 'Accessibility and awareness', '', '3', 'We provide different channels through which individuals can make complaints. These are accessible and we can make reasonable adjustments where necessary.'),
    (4, 'Complaint handling resources', '', '4', 'We have designated, sufficient resource assigned to take responsibility for complaint handling. Complaints are viewed as a core service and resourced accordingly.'),
    (5, 'The complaint handling process', '', '5', 'We have a single policy for dealing with complaints covered by the Code and individuals are given the option of raising a complaint where they express dissatisfaction that meets the definition of the complaint in our policy.'),
    (6, 'Complaints stages', 'Stage 1', '6 Stage 1', 'We process stage 1 complaints in line with timescales and processes set out in the Code.'),
    (6, 'Complaints stages', 'Stage 2', '6 Stage 2', 'We process stage 2 complaints in line with timescales and processes set out in the Code.'),
    (7, 'Putting things right', '', '7', PENDING),
    (8, 'Performance reporting and self-assessment', '', '8', PENDING),
    (9, 'Scrutiny and oversight: continuous learning and improvement', '', '9', PENDING),
)

#: Where each row of ``FINAL_2024_ROWS`` was read (by Code reference), so a reviewer can check it.
FINAL_2024_SOURCES: dict[str, str] = {
    "1": "bassetlaw.gov.uk LGSCO self-assessment October 2024; northtyneside.gov.uk LGSCO self-assessment "
         "September 2025 (same words)",
    "2": "bassetlaw.gov.uk and northtyneside.gov.uk (same words); SPEC B.1.6",
    "3": "bassetlaw.gov.uk; slough.gov.uk LGSCO self-assessment 2025, section 3 (same words)",
    "4": "bassetlaw.gov.uk",
    "5": "bassetlaw.gov.uk",
    "6 Stage 1": "slough.gov.uk LGSCO self-assessment 2025, section 6 (printed there negated, 'We do not process')",
    "6 Stage 2": "slough.gov.uk LGSCO self-assessment 2025, section 6 ('6: Complaints stages - Stage 2')",
    "7": "title from the Code's section 7 as councils list it (brighton-hove.gov.uk); Action wording not found",
    "8": "title from the final Code, section 8 (lgo.org.uk Complaint Handling Code); Action wording not found",
    "9": "title as councils list it (brighton-hove.gov.uk); Action wording not found",
}


@dataclass(frozen=True)
class Template:
    """A self-assessment template: its rows and how the Council's form prints them."""

    code: str
    title: str
    #: Column heads as the template prints them; riskdesk adds "Evidence" where the form has none,
    #: because it pre-fills evidence from its records (SPEC F.6).
    columns: tuple[str, str, str, str, str]
    rows: tuple[tuple[int, str, str, str, str], ...]
    #: True: one table, the "Code section" cell naming the section ("6: Complaints stages – Stage 1");
    #: False: a table per section (and sub-heading), the cell holding the Code reference ("6.17").
    one_table: bool

    def section_cell(self, row: tuple[int, str, str, str, str]) -> str:
        section, title, sub, ref, _requirement = row
        if not self.one_table:
            return ref
        return f"{section}: {title}" + (f" – {sub}" if sub else "")


DRAFT_2023 = "LGSCO-DRAFT-2023"
FINAL_2024 = "LGSCO-2024"

TEMPLATES: dict[str, Template] = {
    DRAFT_2023: Template(DRAFT_2023, "the draft Code consulted on in 2023 (72 requirements)",
                         ("Code section", "Code requirement", "Comply: Yes/No", "Explanations and Commentary",
                          "Evidence"), DRAFT_2023_ROWS, one_table=False),
    FINAL_2024: Template(FINAL_2024, "the final Code of February 2024 (one row per section)",
                         ("Code section", "Action", "Do we follow the Code: Yes/No", "Explanations and Commentary",
                          "Evidence"), FINAL_2024_ROWS, one_table=True),
}

#: The first financial year (April start) assessed against the final Code: councils were to use it from
#: 1 April 2024 (004:371; 001:35 puts the Ombudsman's own use of it in casework at 1 April 2026).
FINAL_CODE_FROM_FY = 2024


def template_for(fy: int) -> str:
    """The template a year's self-assessment starts with when nobody names one."""
    return FINAL_2024 if fy >= FINAL_CODE_FROM_FY else DRAFT_2023


def template_rule() -> str:
    """The rule ``template_for`` applies, in words (for help texts)."""
    return (f"Default: {FINAL_2024} for {FINAL_CODE_FROM_FY}/{(FINAL_CODE_FROM_FY + 1) % 100:02d} and later "
            f"years, {DRAFT_2023} before.")
