"""Content tables for the demo Priority Action Plan (see ``demo_content``).

Everything here is fictional: the "Harwick and Dales SEND Partnership", its
council, its Integrated Care Board, its districts and its people are invented.
The shape follows real English SEND Priority Action Plans (5 priorities,
outcomes ``P.O``, actions ``P.O.A``), but the wording is the project's own.

Pure data, standard library only.
"""

from __future__ import annotations

DEMO_PARTNERSHIP = "Harwick and Dales SEND Partnership"
COUNCIL = "Harwick and Dales Council"
ICB = "Harwick and Dales Integrated Care Board"
PCF = "Harwick and Dales Parent Carer Forum"
HEALTH_TRUST = "Dales Community Health NHS Trust"

PLAN_TITLE = "Harwick and Dales SEND Priority Action Plan 2025-27"
SCALE_KEY = "pap3"

# The one deliberately repeated action reference (real plans have these).
DUPLICATED_REF = "2.5.3"

DISTRICTS = ("Harwick", "Dalesford", "Fellbeck", "Oxley Moor", "Marrowby")

# --------------------------------------------------------------------------
# People: (name, role, organisation)
# --------------------------------------------------------------------------
PEOPLE = (
    ("Helen Marchbank", "Independent Chair, SEND Improvement Board", "Independent"),
    ("Priya Raman", "Director of Education and Skills", COUNCIL),
    ("Tom Ashdown", "Assistant Director, SEND and Inclusion", COUNCIL),
    ("Dr Fiona Okafor", "Associate Director, Children and Young People", ICB),
    ("Gareth Pennington", "Head of SEND Statutory Services", COUNCIL),
    ("Aisha Barlow", "Principal Educational Psychologist", COUNCIL),
    ("Lucy Hartnell", "Designated Clinical Officer", ICB),
    ("Martin Greaves", "Designated Social Care Officer", COUNCIL),
    ("Naomi Whitlock", "SEND Partnership Manager", COUNCIL),
    ("Sunita Chowdhury", "Neurodevelopmental Pathway Programme Lead", ICB),
    ("Dr Imran Siddiqui", "Consultant Community Paediatrician", HEALTH_TRUST),
    ("Kevin Drury", "Head of Performance and Intelligence", COUNCIL),
    ("Beth Soulsby", "Chair, Parent Carer Forum", PCF),
    ("Jordan Fairclough", "Youth Voice and Participation Lead", COUNCIL),
    ("Eleanor Tuckett", "SEND Quality Assurance Auditor", COUNCIL),
    ("Owen Castellan", "Head of Post-16 and Preparing for Adulthood", COUNCIL),
    ("Yasmin Hollins", "Local Offer Development Officer", COUNCIL),
    ("Carl Redfern", "Head of Joint Commissioning (Children)", COUNCIL),
)

# --------------------------------------------------------------------------
# Workstreams: key -> (name, leads, areas of focus)
# --------------------------------------------------------------------------
WS_LP = "Leadership, partnership and joint commissioning"
WS_EHCP = "EHCPs and annual reviews"
WS_ND = "Neurodivergent pathway"
WS_WT = "Working together and co-production"
WS_PFA = "Transitions and preparation for adulthood"

WORKSTREAMS = (
    (WS_LP, ("Priya Raman", "Dr Fiona Okafor"), (
        "Board governance, assurance and reporting",
        "Shared data, the SEND dashboard and the outcomes framework",
        "Joint commissioning and the needs assessment",
        "Sufficiency of local specialist places",
        "The SEND and inclusion strategy",
    )),
    (WS_EHCP, ("Gareth Pennington", "Aisha Barlow"), (
        "Timeliness of new plans against the 20-week standard",
        "Annual reviews and phase transfers",
        "Quality assurance and audit of EHCPs",
        "Advice from health, social care and educational psychology",
        "Children missing education and alternative provision",
    )),
    (WS_ND, ("Sunita Chowdhury", "Dr Imran Siddiqui"), (
        "Single point of access and referral route",
        "Waiting list validation and reduction",
        "Support before and after diagnosis",
        "Graduated approach and SEN support in schools",
        "Pathway data, standards and provider assurance",
    )),
    (WS_WT, ("Naomi Whitlock", "Beth Soulsby"), (
        "Communication with families",
        "Co-production with the parent carer forum",
        "Voice and participation of children and young people",
        "The Local Offer",
        "Learning from complaints",
    )),
    (WS_PFA, ("Owen Castellan", "Martin Greaves"), (
        "Preparing for adulthood outcomes in plans from Year 9",
        "Transitions at 14, 16, 18 and 25",
        "Moving to adult health services",
        "Post-16 learning, internships and employment",
        "Independence, travel and community life",
    )),
)

# --------------------------------------------------------------------------
# Priorities: ref -> kind, statement, workstream, evidence, difference
# --------------------------------------------------------------------------
PRIORITY_ACTION = "area for priority action"
IMPROVEMENT = "area for improvement"

PRIORITIES = (
    {
        "ref": "1",
        "kind": PRIORITY_ACTION,
        "workstream": WS_LP,
        "statement": (
            "Leaders in Harwick and Dales Council and the Harwick and Dales "
            "Integrated Care Board should, as a matter of urgency, put in place "
            "joint governance for SEND that is clear about who decides what and "
            "how partners hold one another to account. They should build a "
            "reliable shared picture of need from education, health and social "
            "care information, use it to commission the services and specialist "
            "places that are missing, and check regularly whether life is "
            "actually getting better for children and young people with SEND."
        ),
        "evidence_of_impact": (
            "Board terms of reference, attendance records and forward plan",
            "Minutes showing challenge, response and decisions followed through",
            "Monthly SEND dashboard with district breakdowns",
            "Signed data sharing agreement and outcomes framework",
            "Refreshed needs assessment chapter and commissioning intentions",
            "Sufficiency review and capital programme progress reports",
            "Annual SEND survey of families and practitioners",
            "Number of new independent special school placements each year",
        ),
        "difference_for_cyp": (
            "Decisions about services are taken jointly and quickly, with families in the room",
            "Problems such as growing waits are spotted early and acted on",
            "More children have their needs met in a good school near home",
            "Families can see a published plan and how it is progressing",
            "Money is spent on the help children actually need",
        ),
    },
    {
        "ref": "2",
        "kind": PRIORITY_ACTION,
        "workstream": WS_EHCP,
        "statement": (
            "Leaders across the partnership should rapidly improve how education, "
            "health and care needs assessments and annual reviews are carried "
            "out. Plans should be issued within the statutory 20 weeks, reviewed "
            "every year and written to a consistently good standard with timely "
            "contributions from health and social care. Oversight should be close "
            "enough for leaders to know where delays and weak plans are and to "
            "act on them, and children who are missing education should be found "
            "and helped back into suitable provision without delay."
        ),
        "evidence_of_impact": (
            "Percentage of new plans issued within 20 weeks, excluding exceptions",
            "Number of overdue annual reviews and age of the oldest",
            "Phase transfer plans issued by the statutory deadlines",
            "Audits completed against the 5% monthly target",
            "Share of audited plans graded good or better, aiming for 40%",
            "Health and social care advice returned within six weeks",
            "Tribunal appeals, mediation cases and complaints per 1,000 plans",
            "Number of children with SEND missing education or on part-time timetables",
            "Staff vacancy rate and caseloads in the statutory team",
        ),
        "difference_for_cyp": (
            "Children get the right help sooner because plans arrive on time",
            "Plans describe the child properly and say exactly what support they will get",
            "Families know who is handling their case and hear back when they ask",
            "Plans change when a child's needs change",
            "Children out of school are back in suitable education quickly",
        ),
    },
    {
        "ref": "3",
        "kind": PRIORITY_ACTION,
        "workstream": WS_ND,
        "statement": (
            "Leaders in the Integrated Care Board and the council should work "
            "together with urgency to bring down the very long waits for "
            "neurodevelopmental assessment and to close the gaps in the present "
            "pathway. Families should be able to obtain advice, practical help "
            "and reasonable adjustments for their child on the strength of need, "
            "whether or not an assessment has been completed, and every stage of "
            "the pathway should meet national standards."
        ),
        "evidence_of_impact": (
            "Number of children waiting for autism or ADHD assessment, by district",
            "Median and longest wait from referral to outcome",
            "Share of referrals received through the single point of access",
            "Share of referrals redirected to support rather than declined",
            "Attendance at graduated approach training by school",
            "Parent workshop take-up and feedback",
            "Families' ratings of support while waiting, from the SEND survey",
        ),
        "difference_for_cyp": (
            "Children are supported at school while they wait, not only after a diagnosis",
            "Families know where they are in the queue and what happens next",
            "Waits are shorter and no longer depend on the postcode",
            "Diagnoses are trusted by schools and services across the area",
            "Parents feel more able to help their child at home",
        ),
    },
    {
        "ref": "4",
        "kind": IMPROVEMENT,
        "workstream": WS_WT,
        "statement": (
            "Leaders should strengthen the way the partnership communicates and "
            "works with children, young people and their families. Parents and "
            "carers should be kept informed about assessments, waiting times and "
            "decisions, be able to find accurate information about local "
            "support, and be treated as equal partners when services are "
            "designed. The views of young people should be sought routinely and "
            "be seen to change what happens."
        ),
        "evidence_of_impact": (
            "Complaints about communication and the time taken to resolve them",
            "Helpline and inbox response times against published standards",
            "Number of partners who have signed the co-production charter",
            "Parent carer forum membership by district and community",
            "Young people's forum membership and decisions it has influenced",
            "Local Offer visits, searches and satisfaction ratings",
            "Results of the annual SEND survey compared with the baseline",
        ),
        "difference_for_cyp": (
            "Families feel listened to and are not left wondering what is happening",
            "Young people see their ideas turned into changes",
            "Information about local support is easy to find and up to date",
            "Complaints are sorted out early and lead to better practice",
        ),
    },
    {
        "ref": "5",
        "kind": IMPROVEMENT,
        "workstream": WS_PFA,
        "statement": (
            "Leaders across education, health and social care should keep "
            "improving how young people with SEND are prepared for adult life. "
            "Planning should begin early, moves between services at key ages "
            "should be joined up, and young people should have genuine choices "
            "about further learning, work, where they live and how they take "
            "part in their community."
        ),
        "evidence_of_impact": (
            "Share of plans from Year 9 with preparing for adulthood outcomes",
            "Young people with plans aged 16-25 who are not in education, employment or training",
            "Supported internships started and completed, and jobs secured afterwards",
            "Transition plans in place at 14 for young people likely to need adult care",
            "Health transition meetings held before the 18th birthday",
            "Young people completing independent travel training",
        ),
        "difference_for_cyp": (
            "Young people leave school with a plan for the life they want",
            "No gap in care when they move to adult services",
            "More young people with SEND get paid jobs",
            "Young people travel, socialise and manage daily life more independently",
        ),
    },
)


# --------------------------------------------------------------------------
# Outcomes and actions.
#
# PLAN[priority_ref] is a list of outcomes; each outcome is
#   (outcome text, [action, ...])
# and each action is
#   (what we will do, workstream, leads, timescale, success criteria, topic)
# Refs are assigned by position (P.O.A); the action after DUPLICATED_REF in
# its outcome re-uses that ref on purpose.
# "topic" is a short noun phrase used to write update narratives.
# --------------------------------------------------------------------------
PLAN = {
    "1": [
        (
            "A single improvement board with an independent chair has the "
            "authority and membership to drive change quickly. Senior leaders "
            "from the council, the ICB, schools and the parent carer forum "
            "attend, take decisions together and are seen to follow them through.",
            [
                (
                    "Establish the Harwick and Dales SEND Improvement Board with an "
                    "independent chair, agreed terms of reference and members from "
                    "education, health, social care, schools, the parent carer "
                    "forum and the young people's forum.",
                    WS_LP, ["Helen Marchbank", "Priya Raman"], "March 2025",
                    [
                        "Independent chair appointed and introduced to all partners",
                        "Terms of reference signed off by the council and the ICB",
                        "Senior attendance at 85% or more over the first six meetings",
                        "Young advisers attend, or send a contribution to, every meeting",
                    ],
                    "the board set-up",
                ),
                (
                    "Agree a rolling twelve-month forward plan for the board so that "
                    "every priority and the risk register receive a deep dive at "
                    "least twice a year.",
                    WS_LP, ["Naomi Whitlock"], "April 2025",
                    [
                        "Forward plan published with each set of board papers",
                        "Each priority examined in depth twice in the year",
                        "Deep-dive findings recorded as challenge and response",
                    ],
                    "the board forward plan",
                ),
            ],
        ),
        (
            "Governance below the board is clear and in proportion. Workstreams, "
            "the operations group and each partner's own boards know what they "
            "decide, what they escalate and when, so problems reach someone able "
            "to fix them within a month.",
            [
                (
                    "Map SEND governance across the council, the ICB and the schools "
                    "forum, remove duplicate meetings and publish a single structure "
                    "chart showing escalation routes.",
                    WS_LP, ["Tom Ashdown"], "Apr-25",
                    [
                        "Structure chart approved by the board",
                        "Fewer separate SEND meetings than at the baseline count",
                        "Escalation route used and recorded at least once a quarter",
                    ],
                    "the governance map",
                ),
                (
                    "Set up a monthly operations group of heads of service to manage "
                    "delivery between board meetings and unblock cross-agency issues.",
                    WS_LP, ["Tom Ashdown", "Dr Fiona Okafor"], "May 2025",
                    [
                        "Operations group quorate every month",
                        "Action log reviewed at each meeting and overdue items chased",
                        "Unresolved blockages escalated to the board within one cycle",
                    ],
                    "the operations group",
                ),
                (
                    "Take a SEND progress report to the Health and Wellbeing Board, "
                    "Cabinet and the ICB board each quarter.",
                    WS_LP, ["Priya Raman"], "Quarterly",
                    [
                        "SEND report on every quarterly partner board agenda",
                        "Partner board minutes record decisions taken on SEND",
                    ],
                    "quarterly reporting to partner boards",
                ),
            ],
        ),
        (
            "Board members share one current view of performance and risk. "
            "Highlight reports explain what has changed for children rather than "
            "which tasks are finished, and the board's challenge is logged and "
            "followed up.",
            [
                (
                    "Introduce a standard highlight report for every workstream "
                    "covering progress, RAG rating with reasons, impact measures, "
                    "risks and decisions needed from the board.",
                    WS_LP, ["Naomi Whitlock"], "June 2025",
                    [
                        "Template agreed and used by all five workstreams",
                        "Every Amber or Red rating gives a reason and a recovery date",
                        "Board papers issued five working days ahead of each meeting",
                    ],
                    "the highlight report template",
                ),
                (
                    "Keep a partnership SEND risk register with owners in each "
                    "agency, reviewed monthly by the operations group and quarterly "
                    "by the board.",
                    WS_LP, ["Tom Ashdown"], "July 2025",
                    [
                        "Register reviewed every month with scores updated",
                        "Each risk has a named owner, controls and a target score",
                        "Risks raised at the board are added within one month",
                    ],
                    "the SEND risk register",
                ),
            ],
        ),
        (
            "Partners share data routinely and trust it. One SEND dashboard, split "
            "by district, shows timeliness, quality, waiting times, attendance "
            "and outcomes so that leaders see pressure building and respond early.",
            [
                (
                    "Agree a data sharing agreement between the council, the ICB and "
                    "NHS providers covering every measure the board needs.",
                    WS_LP, ["Kevin Drury"], "31/07/2025",
                    [
                        "Agreement signed by all parties",
                        "Information governance leads confirm the lawful basis",
                        "First joint data return received from each NHS provider",
                    ],
                    "the data sharing agreement",
                ),
                (
                    "Build a monthly SEND performance dashboard with district figures "
                    "and comparisons with statistical neighbours and England.",
                    WS_LP, ["Kevin Drury"], "Sept 2025",
                    [
                        "Dashboard refreshed by the tenth working day of each month",
                        "District figures available for at least 20 measures",
                        "Board members say the dashboard helps them to challenge",
                    ],
                    "the SEND dashboard",
                ),
                (
                    "Agree an outcomes framework linking each KPI to the difference "
                    "it should make for children, with a baseline and yearly targets.",
                    WS_LP, ["Kevin Drury", "Dr Fiona Okafor"], "Q3 2025",
                    [
                        "Outcomes framework approved by the board",
                        "Baseline and target recorded for every KPI",
                        "Targets reviewed each April against the latest national data",
                    ],
                    "the outcomes framework",
                ),
            ],
        ),
        (
            "A co-produced SEND and inclusion strategy sets out what partners are "
            "trying to achieve and how. Schools, health providers and families "
            "recognise it as theirs and can see where their own plans fit.",
            [
                (
                    "Co-produce and publish a three-year SEND and inclusion strategy "
                    "with a one-page summary and an easy-read version for young "
                    "people.",
                    WS_LP, ["Priya Raman", "Beth Soulsby"], "December 2025",
                    [
                        "Consultation responses from families, schools and health analysed and published",
                        "Strategy approved by Cabinet and the ICB board",
                        "Easy-read version tested with the young people's forum",
                    ],
                    "the SEND and inclusion strategy",
                ),
                (
                    "Publish this plan on the Local Offer and refresh the published "
                    "progress tracker after every board meeting.",
                    WS_WT, ["Yasmin Hollins"], "Ongoing",
                    [
                        "Plan and tracker available on the Local Offer",
                        "Tracker updated within ten working days of each board",
                    ],
                    "the published tracker",
                ),
            ],
        ),
        (
            "Joint commissioning rests on a shared understanding of need. Gaps in "
            "therapies, short breaks and specialist support are identified by "
            "district and closed through joint decisions on money and contracts.",
            [
                (
                    "Refresh the SEND chapter of the Joint Strategic Needs Assessment "
                    "with current population, prevalence and service data.",
                    WS_LP, ["Carl Redfern"], "Oct 2025",
                    [
                        "Refreshed chapter published",
                        "Need projected to 2030 by primary need and district",
                        "Findings used in the 2026-27 commissioning intentions",
                    ],
                    "the needs assessment refresh",
                ),
                (
                    "Map commissioned services for children with SEND by district, "
                    "including speech and language therapy, occupational therapy and "
                    "short breaks, against assessed need.",
                    WS_LP, ["Carl Redfern", "Dr Fiona Okafor"], "Nov-25",
                    [
                        "Service map presented to the board",
                        "Five largest gaps agreed, each with a proposed response",
                    ],
                    "the service map",
                ),
                (
                    "Form a joint commissioning group with delegated authority and an "
                    "aligned budget for agreed SEND services.",
                    WS_LP, [], "TBC",
                    [
                        "Section 75 or budget alignment agreement in place",
                        "Joint commissioning group meets every two months",
                        "At least two services recommissioned jointly by March 2027",
                    ],
                    "the joint commissioning group",
                ),
            ],
        ),
        (
            "There are enough good local places for children with SEND, planned "
            "ahead of demand, so fewer children travel long distances or are "
            "placed in independent specialist schools.",
            [
                (
                    "Complete a sufficiency review of specialist and resourced "
                    "provision, forecasting demand by need and district over five "
                    "years.",
                    WS_LP, ["Carl Redfern"], "Sep-25",
                    [
                        "Sufficiency review published",
                        "Forecast refreshed every year with January census data",
                        "Shortfall in places quantified for each district",
                    ],
                    "the sufficiency review",
                ),
                (
                    "Agree and deliver a capital programme creating resourced "
                    "provision bases in mainstream schools and additional special "
                    "school places.",
                    WS_LP, ["Priya Raman"], "March 2027",
                    [
                        "Capital programme approved by Cabinet",
                        "At least 180 additional places open by September 2026",
                        "New independent special school placements fall each year",
                    ],
                    "the capital programme",
                ),
            ],
        ),
    ],
    "2": [
        (
            "Families receive a decision on a request for assessment within six "
            "weeks and, where a plan is needed, a final EHCP within 20 weeks. "
            "Timeliness is similar in every district and does not depend on how "
            "hard a family pushes.",
            [
                (
                    "Recruit to the statutory SEND team establishment agreed in the "
                    "recovery business case, including case officers, team managers "
                    "and tribunal staff.",
                    WS_EHCP, ["Gareth Pennington"], "Feb 26",
                    [
                        "Vacancy rate in the statutory team below 10%",
                        "No case officer holds more than 180 plans",
                        "Agency staff released as permanent staff start",
                    ],
                    "statutory team recruitment",
                ),
                (
                    "Produce and deliver a recovery plan that tracks every open "
                    "assessment weekly against the 20-week deadline.",
                    WS_EHCP, ["Gareth Pennington", "Kevin Drury"], "June 2025",
                    [
                        "Recovery plan approved by the board",
                        "Plans issued within 20 weeks (excluding exceptions) rise from 38% to 60% by March 2026",
                        "75% within 20 weeks by March 2027",
                        "No assessment left open beyond 40 weeks",
                    ],
                    "the 20-week recovery plan",
                ),
            ],
        ),
        (
            "Annual reviews take place on time and lead to amended plans when needs "
            "have changed. The backlog of overdue reviews is cleared and phase "
            "transfer reviews meet the statutory deadlines.",
            [
                (
                    "Clear the backlog of overdue annual reviews with a dedicated "
                    "review team working in order of risk.",
                    WS_EHCP, ["Gareth Pennington"], "March 2026",
                    [
                        "Overdue annual reviews cut from 2,140 to under 300",
                        "Children in care, at risk of exclusion or changing phase seen first",
                        "Amended plans issued within four weeks of the review decision",
                    ],
                    "the annual review backlog",
                ),
                (
                    "Finalise phase transfer plans by 15 February for Year 6 and by "
                    "31 March for Year 11.",
                    WS_EHCP, ["Gareth Pennington"], "Feb 26",
                    [
                        "95% of Year 6 transfer plans issued by 15 February",
                        "95% of Year 11 transfer plans issued by 31 March",
                        "Families told of the named school or college before the deadline",
                    ],
                    "phase transfers",
                ),
                (
                    "Give schools and colleges an annual review toolkit and an online "
                    "return so that review paperwork arrives complete and on time.",
                    WS_EHCP, ["Gareth Pennington"], "Q4 2025",
                    [
                        "Toolkit published and briefed to SENCOs",
                        "80% of review paperwork received within two weeks of the meeting",
                        "Returns incomplete on arrival below 15%",
                    ],
                    "the annual review toolkit",
                ),
            ],
        ),
        (
            "Educational psychology capacity is enough for statutory work and for "
            "early advice to schools, so advice is prompt and grounded in knowing "
            "the child.",
            [
                (
                    "Commission locum and associate educational psychologists to "
                    "complete statutory advice while the permanent service grows.",
                    WS_EHCP, ["Aisha Barlow"], "Sept 2025",
                    [
                        "Contracts in place with at least two providers",
                        "120 or more statutory advices completed by associates each month",
                        "Average time for EP advice within six weeks",
                    ],
                    "associate EP capacity",
                ),
                (
                    "Grow the permanent educational psychology service through "
                    "trainee placements, a market supplement and a clear career "
                    "pathway.",
                    WS_EHCP, ["Aisha Barlow"], "September 2026",
                    [
                        "Four trainee EPs placed each year",
                        "Permanent EP posts filled at 90% of establishment",
                        "Share of EP time spent on early consultation with schools rises",
                    ],
                    "the permanent EP workforce",
                ),
            ],
        ),
        (
            "EHCPs are of good quality. They describe the child accurately, set "
            "outcomes that matter to the child and specify provision clearly "
            "enough for it to be delivered and checked.",
            [
                (
                    "Introduce the commissioned EHCP audit tool, train a pool of "
                    "multi-agency auditors and moderate a sample of audits.",
                    WS_EHCP, ["Eleanor Tuckett"], "July 2025",
                    [
                        "40 auditors trained from education, health and social care",
                        "5% of plans audited every month",
                        "One audit in ten moderated by a second auditor",
                        "Advice not needed is scored as not applicable, not as inadequate",
                    ],
                    "the EHCP audit programme",
                ),
                (
                    "Raise the share of audited plans graded good or better to 40% "
                    "through targeted feedback, coaching and repeat audit.",
                    WS_EHCP, ["Eleanor Tuckett", "Gareth Pennington"], "March 2027",
                    [
                        "Good or better rises from 18% to 30% by March 2026",
                        "Good or better reaches 40% by March 2027",
                        "Sections E and F show the largest gains",
                        "Audit learning shared with every team each quarter",
                    ],
                    "the 40% good-or-better target",
                ),
                (
                    "Set up a SEND practice academy giving all statutory staff an "
                    "induction, core training and continuing development.",
                    WS_EHCP, ["Gareth Pennington"], "April 2026",
                    [
                        "Every new starter completes induction within eight weeks",
                        "95% of existing staff complete the core modules",
                        "Staff confidence rises in the annual workforce survey",
                    ],
                    "the SEND practice academy",
                ),
            ],
        ),
        (
            "Advice from health and social care arrives on time and describes needs "
            "and provision precisely, and practitioners in those services receive "
            "the finished plan.",
            [
                (
                    "Agree expectations for the timeliness and content of health "
                    "advice with each NHS provider, monitored by the Designated "
                    "Clinical Officer.",
                    WS_EHCP, ["Lucy Hartnell"], "Sept 2025",
                    [
                        "90% of health advice returned within six weeks",
                        "Quality of health advice checked through audit",
                        "Expectations written into provider contracts for 2026-27",
                    ],
                    "health advice standards",
                ),
                (
                    "Create a social care advice route for children known to "
                    "children's social care, with a named officer and training for "
                    "social workers.",
                    WS_EHCP, ["Martin Greaves"], "Oct 2025",
                    [
                        "Named officer in post and route published",
                        "Social care advice received for 90% of children open to social care",
                    ],
                    "the social care advice route",
                ),
                (
                    "Run joint training for health and social care professionals on "
                    "writing advice that is specific, measurable and free of jargon.",
                    WS_EHCP, ["Lucy Hartnell", "Martin Greaves"], "Dec 2025",
                    [
                        "250 health and social care staff trained",
                        "Audited advice rated good or better improves by ten points",
                    ],
                    "advice-writing training",
                ),
                (
                    "Set up a secure way for health and social care practitioners to "
                    "receive final and amended plans for the children they work "
                    "with.",
                    WS_EHCP, [], "Q3 2025",
                    [
                        "Sharing route agreed with information governance leads",
                        "All final and amended plans shared within five working days",
                        "Practitioners report they can see the current plan",
                    ],
                    "plan sharing with practitioners",
                ),
            ],
        ),
        (
            "Children who are out of school or missing education are known, "
            "tracked and helped back into suitable education quickly.",
            [
                (
                    "Publish a protocol for arranging alternative education under "
                    "section 19 of the Education Act 1996, with a multi-agency panel "
                    "meeting every fortnight.",
                    WS_EHCP, ["Tom Ashdown"], "June 2025",
                    [
                        "Protocol published and briefed to schools",
                        "Panel meets fortnightly and records decisions",
                        "Interim provision arranged within 15 school days",
                    ],
                    "the section 19 protocol",
                ),
                (
                    "Keep a named list and dashboard of children with SEND who are "
                    "missing education or on part-time timetables.",
                    WS_EHCP, ["Kevin Drury"], "August 2025",
                    [
                        "Named list reviewed every week",
                        "Number of children on part-time timetables for more than six weeks falls",
                    ],
                    "the missing education dashboard",
                ),
                (
                    "Agree an attendance plan for pupils with SEND, with extra "
                    "support for the schools where absence is highest.",
                    WS_EHCP, ["Tom Ashdown"], "Jan 2026",
                    [
                        "Attendance plan agreed with headteacher representatives",
                        "Persistent absence of pupils with plans falls by five points",
                    ],
                    "the SEND attendance plan",
                ),
            ],
        ),
        (
            "Families find the EHCP process respectful and well explained. They "
            "know who their case officer is, hear back when they call, and "
            "complaints and appeals fall.",
            [
                (
                    "Move to a named case officer model so each family deals with one "
                    "person from request to final plan.",
                    WS_EHCP, ["Gareth Pennington"], "December 2025",
                    [
                        "Every open case has a named officer",
                        "Families contacted at least every four weeks during assessment",
                        "Complaints about the statutory service fall by a quarter",
                    ],
                    "the named case officer model",
                ),
                (
                    "Launch an online portal where families and professionals can "
                    "make requests, follow progress and see documents.",
                    WS_EHCP, [], "December 2026",
                    [
                        "Portal tested with parent carers before launch",
                        "60% of new requests made through the portal in its first year",
                        "Calls asking for progress updates fall",
                    ],
                    "the EHCP portal",
                ),
            ],
        ),
        (
            "Decisions about funding and placements are timely, consistent and "
            "recorded, and follow the published banding framework.",
            [
                (
                    "Review panel arrangements and delegations for SEND funding "
                    "decisions and introduce a revised banding framework.",
                    WS_EHCP, ["Gareth Pennington", "Carl Redfern"], "31/08/2025",
                    [
                        "Revised banding framework published",
                        "Funding decisions made within ten working days",
                        "Reasons for every decision recorded on the case file",
                    ],
                    "the banding framework",
                ),
            ],
        ),
        (
            "Appeals and mediation are treated as learning. Fewer cases reach a "
            "hearing, and the partnership acts on what tribunal decisions tell it.",
            [
                (
                    "Analyse tribunal outcomes and mediation cases every quarter and "
                    "share the themes with service managers.",
                    WS_EHCP, ["Tom Ashdown"], "Quarterly",
                    [
                        "Quarterly learning note issued",
                        "Practice changes agreed for the two most common themes",
                    ],
                    "tribunal learning",
                ),
                (
                    "Offer an early resolution meeting for every appeal lodged, with "
                    "a senior officer and the information, advice and support "
                    "service invited.",
                    WS_EHCP, ["Gareth Pennington"], "Nov 2025",
                    [
                        "Early resolution offered in every case",
                        "Share of appeals conceded or settled before a hearing rises",
                    ],
                    "early resolution meetings",
                ),
            ],
        ),
    ],
    "3": [
        (
            "Families have one place to ask for help about possible autism or "
            "ADHD. Referrals are accepted, redirected or declined quickly with "
            "reasons, and support is offered at first contact.",
            [
                (
                    "Open a single point of access for neurodevelopmental referrals "
                    "with one form for schools, GPs and families and a digital front "
                    "door.",
                    WS_ND, ["Sunita Chowdhury"], "March 2026",
                    [
                        "Single point of access live in all districts",
                        "90% of referrals made through the digital form",
                        "Triage outcome sent to the referrer within 15 working days",
                    ],
                    "the single point of access",
                ),
                (
                    "Train SENCOs, GPs and health visitors on when and how to refer "
                    "and what information to include.",
                    WS_ND, ["Sunita Chowdhury"], "Oct-25",
                    [
                        "Training available online and in person",
                        "Referrals returned as incomplete fall below 10%",
                    ],
                    "referrer training",
                ),
            ],
        ),
        (
            "Waits for assessment fall and are similar in every district. Nobody "
            "waits more than two years, and families know where they are in the "
            "queue.",
            [
                (
                    "Validate the waiting list, contacting every family to confirm "
                    "the assessment is still wanted and to offer support meanwhile.",
                    WS_ND, ["Dr Imran Siddiqui"], "Sept 2025",
                    [
                        "Every family on the list contacted",
                        "Waiting list reconciled across NHS providers",
                        "Support offer made to each family contacted",
                    ],
                    "waiting list validation",
                ),
                (
                    "Commission extra assessment capacity to reduce the longest "
                    "waits, using independent providers that meet NICE guidance "
                    "where needed.",
                    WS_ND, ["Sunita Chowdhury", "Carl Redfern"], "Q1 2026",
                    [
                        "Longest wait under 104 weeks by March 2026",
                        "Median wait reduced by a third",
                        "Gap between the longest and shortest district waits halved",
                    ],
                    "additional assessment capacity",
                ),
                (
                    "Write to every family on the waiting list each quarter with "
                    "their position and the support available while they wait.",
                    WS_ND, [], "Quarterly",
                    [
                        "Letters sent every quarter",
                        "Calls chasing waiting list position fall",
                    ],
                    "waiting list letters",
                ),
            ],
        ),
        (
            "Every assessment provider, NHS or independent, follows a pathway that "
            "meets NICE guidance, so diagnoses are trusted by schools and services.",
            [
                (
                    "Publish standards for autism and ADHD assessment and a list of "
                    "providers that meet them.",
                    WS_ND, ["Dr Imran Siddiqui"], "March 2026",
                    [
                        "Standards agreed by the ND programme board",
                        "List of assured providers on the Local Offer",
                    ],
                    "assessment standards",
                ),
                (
                    "Issue a position statement on privately obtained diagnoses for "
                    "schools and GPs, including shared care for ADHD medication.",
                    WS_ND, ["Lucy Hartnell"], "May 2025",
                    [
                        "Position statement published",
                        "Shared care requests handled in line with the statement",
                    ],
                    "the private diagnosis statement",
                ),
            ],
        ),
        (
            "Children get help because of their needs, not their diagnosis. "
            "Schools apply the graduated approach consistently and specialist "
            "advice is available before any assessment is complete.",
            [
                (
                    "Deliver graduated approach training to every school and early "
                    "years setting, with a toolkit of reasonable adjustments.",
                    WS_ND, ["Aisha Barlow"], "December 2025",
                    [
                        "90% of schools attend at least one session",
                        "Toolkit published and used in SEN support plans",
                        "Requests for assessment without evidence of the graduated approach fall",
                    ],
                    "graduated approach training",
                ),
                (
                    "Offer outreach and consultation from specialist teachers and "
                    "mental health practitioners to schools for children awaiting "
                    "assessment.",
                    WS_ND, ["Sunita Chowdhury"], "Jan-26",
                    [
                        "Outreach offer available to every school",
                        "400 consultations delivered in the first year",
                    ],
                    "the outreach offer",
                ),
                (
                    "Review how SEN support plans are used and introduce a common "
                    "format across schools.",
                    WS_ND, ["Tom Ashdown"], "July 2026",
                    [
                        "Common format agreed with SENCO networks",
                        "Two-thirds of schools using the format by July 2026",
                    ],
                    "the SEN support plan format",
                ),
            ],
        ),
        (
            "Parent carers of neurodivergent children receive practical support, "
            "before and after diagnosis, that helps them understand their child "
            "and cope at home.",
            [
                (
                    "Commission parent workshops on sleep, anxiety, communication and "
                    "behaviour, available in every district and online.",
                    WS_ND, ["Carl Redfern"], "Nov 2025",
                    [
                        "Workshops running in all five districts",
                        "85% of attendees rate the workshop as useful",
                    ],
                    "parent workshops",
                ),
                (
                    "Set up peer support groups led by parent carers, with training "
                    "and supervision from the pathway.",
                    WS_ND, ["Beth Soulsby"], "Feb 26",
                    [
                        "A peer group meets in each district",
                        "Peer supporters trained and supervised",
                    ],
                    "peer support groups",
                ),
            ],
        ),
        (
            "Practitioners in health, education and care understand neurodivergence "
            "and adapt how they work. Families say staff listen and they do not "
            "have to explain their child again and again.",
            [
                (
                    "Provide neurodiversity awareness training across health, care "
                    "and education, and ADOS training for clinicians on the pathway.",
                    WS_ND, ["Dr Imran Siddiqui"], "Oct 2025",
                    [
                        "1,000 practitioners complete awareness training",
                        "All pathway clinicians trained in ADOS",
                        "Families' rating of being listened to improves in the survey",
                    ],
                    "neurodiversity training",
                ),
            ],
        ),
        (
            "Managers understand demand and capacity on the pathway from reliable "
            "data and use it to plan services.",
            [
                (
                    "Produce a monthly pathway data set covering referrals, "
                    "acceptances, waits and outcomes by district and provider.",
                    WS_ND, ["Kevin Drury", "Sunita Chowdhury"], "Aug 2025",
                    [
                        "Data set published monthly on the SEND dashboard",
                        "All providers submit on time for three consecutive months",
                    ],
                    "the pathway data set",
                ),
                (
                    "Model demand and capacity for the pathway to 2028 and agree a "
                    "sustainable funding plan.",
                    WS_ND, [], "TBC",
                    [
                        "Demand and capacity model signed off",
                        "Funding plan agreed by the ICB and the council",
                    ],
                    "demand and capacity modelling",
                ),
            ],
        ),
    ],
    "4": [
        (
            "Communication from the partnership is clear, kind and timely. "
            "Families know what is happening, what comes next and whom to contact.",
            [
                (
                    "Co-produce a communication and engagement strategy with the "
                    "parent carer forum and young people.",
                    WS_WT, ["Naomi Whitlock", "Beth Soulsby"], "August 2025",
                    [
                        "Strategy approved by the board and published",
                        "Plain English standard adopted for letters to families",
                    ],
                    "the communication strategy",
                ),
                (
                    "Send families a short monthly newsletter on progress with the "
                    "improvement plan.",
                    WS_WT, ["Naomi Whitlock"], "Monthly",
                    [
                        "Newsletter issued every month",
                        "Subscriber numbers grow quarter on quarter",
                    ],
                    "the family newsletter",
                ),
                (
                    "Review the SEND helpline and shared inbox, set response "
                    "standards and publish performance against them.",
                    WS_WT, ["Gareth Pennington"], "Sept 2025",
                    [
                        "Calls answered within two minutes on average",
                        "Emails answered within five working days",
                        "Performance published monthly on the Local Offer",
                    ],
                    "the SEND helpline",
                ),
            ],
        ),
        (
            "Co-production with parent carers is routine at every level, from "
            "individual plans to service design, and the parent carer forum "
            "reaches families in all districts.",
            [
                (
                    "Agree a co-production charter with the parent carer forum and "
                    "ask every partner organisation to sign it.",
                    WS_WT, ["Beth Soulsby", "Naomi Whitlock"], "April 2025",
                    [
                        "Charter launched at a joint event",
                        "All statutory partners and 50 schools signed up",
                    ],
                    "the co-production charter",
                ),
                (
                    "Fund the parent carer forum to extend its reach into "
                    "under-represented communities, including families who speak "
                    "English as an additional language.",
                    WS_WT, ["Carl Redfern"], "March 2026",
                    [
                        "Forum membership up by 40%",
                        "Members from every district and main community language",
                    ],
                    "parent carer forum reach",
                ),
            ],
        ),
        (
            "Children and young people's views shape services. The young people's "
            "SEND forum is representative and its advice visibly changes "
            "decisions.",
            [
                (
                    "Grow the young people's SEND forum, holding sessions in special "
                    "schools, colleges and youth settings.",
                    WS_WT, ["Jordan Fairclough"], "June 2025",
                    [
                        "Forum membership doubles",
                        "Forum presents to the board at least twice a year",
                    ],
                    "the young people's forum",
                ),
                (
                    "Reach young people who are rarely heard, including those not in "
                    "education, educated at home or in alternative provision.",
                    WS_WT, ["Jordan Fairclough"], "Jan 2026",
                    [
                        "Focus groups held with each of these groups",
                        "Their views reported to the board with responses",
                    ],
                    "seldom-heard young people",
                ),
                (
                    "Co-produce a young people's version of the annual SEND survey "
                    "with the forum.",
                    WS_WT, ["Jordan Fairclough"], "May 2025",
                    [
                        "Survey designed and tested by forum members",
                        "At least 600 responses from children and young people",
                    ],
                    "the young people's survey",
                ),
            ],
        ),
        (
            "The Local Offer is accurate, easy to use and trusted by families and "
            "practitioners.",
            [
                (
                    "Review the Local Offer website with families, fix out-of-date "
                    "content and meet web accessibility standards.",
                    WS_WT, ["Yasmin Hollins"], "July 2025",
                    [
                        "Accessibility audit passed",
                        "All pages reviewed in the last six months",
                        "Satisfaction with the Local Offer rises in the survey",
                    ],
                    "the Local Offer review",
                ),
                (
                    "Add a searchable directory of services with a named owner for "
                    "each entry and a six-monthly check.",
                    WS_WT, ["Yasmin Hollins"], "Dec-25",
                    [
                        "Directory live with 300 or more services",
                        "Entries older than six months flagged automatically",
                    ],
                    "the services directory",
                ),
            ],
        ),
        (
            "Complaints are resolved early, and learning from complaints, audits "
            "and tribunals changes practice.",
            [
                (
                    "Share complaint themes with managers every quarter and agree "
                    "practice changes in response.",
                    WS_WT, ["Tom Ashdown"], "Quarterly",
                    [
                        "Quarterly themes report issued",
                        "Changes made in response are logged and checked",
                    ],
                    "complaints learning",
                ),
                (
                    "Call every complainant within five working days to try to "
                    "resolve the concern before a formal response.",
                    WS_WT, [], "Oct 2025",
                    [
                        "Early call made in 90% of complaints",
                        "Complaints escalating to stage two fall",
                    ],
                    "early complaint calls",
                ),
            ],
        ),
        (
            "Staff across the partnership communicate well with families, listen "
            "carefully and explain decisions.",
            [
                (
                    "Co-produce a module on respectful communication with parent "
                    "carers and deliver it to all statutory SEND staff.",
                    WS_WT, ["Naomi Whitlock", "Beth Soulsby"], "Nov 2025",
                    [
                        "Module delivered to every member of the statutory team",
                        "Parent carers co-deliver at least half of the sessions",
                    ],
                    "communication training",
                ),
                (
                    "Run termly drop-in sessions with the parent carer forum in each "
                    "district where families can meet officers face to face.",
                    WS_WT, ["Beth Soulsby"], "Ongoing",
                    [
                        "A drop-in held every term in each district",
                        "Issues raised are logged and followed up",
                    ],
                    "district drop-ins",
                ),
            ],
        ),
    ],
    "5": [
        (
            "Planning for adulthood starts early. From Year 9, plans describe young "
            "people's hopes for work, independent living, friendships and health, "
            "and reviews check progress towards them.",
            [
                (
                    "Make preparing for adulthood outcomes a required part of annual "
                    "reviews from Year 9, with guidance and worked examples.",
                    WS_PFA, ["Owen Castellan", "Gareth Pennington"], "April 2026",
                    [
                        "Guidance issued to schools and case officers",
                        "80% of Year 9+ plans contain preparing for adulthood outcomes",
                    ],
                    "PfA outcomes from Year 9",
                ),
                (
                    "Audit a sample of Year 9 and Year 11 plans each term for the "
                    "quality of their preparing for adulthood outcomes.",
                    WS_EHCP, ["Eleanor Tuckett"], "Termly",
                    [
                        "30 plans audited each term",
                        "Findings fed back to the transitions team",
                    ],
                    "the PfA audit sample",
                ),
            ],
        ),
        (
            "Moves at 14, 16, 18 and 25 are planned and smooth. Young people and "
            "families know what will change and who will support them.",
            [
                (
                    "Agree a transitions protocol across children's and adult "
                    "services in health, social care and education.",
                    WS_PFA, ["Martin Greaves", "Owen Castellan"], "Dec 2025",
                    [
                        "Protocol signed off by all partners",
                        "Families given a copy in an accessible format",
                    ],
                    "the transitions protocol",
                ),
                (
                    "Identify every young person aged 14 or over likely to need adult "
                    "social care and start transition planning at 14.",
                    WS_PFA, ["Martin Greaves"], "Sep-25",
                    [
                        "Transition register maintained and reviewed monthly",
                        "Transition plan in place for 90% of those identified",
                    ],
                    "the transition register",
                ),
            ],
        ),
        (
            "Young people with health needs move to adult health services with a "
            "planned handover and no gap in care.",
            [
                (
                    "Adopt a health transition framework in all NHS providers and "
                    "begin conversations with young people about adult services at "
                    "14.",
                    WS_PFA, ["Lucy Hartnell"], "July 2025",
                    [
                        "Framework adopted by every NHS provider",
                        "Transition conversation recorded for 75% of 14-year-olds open to services",
                    ],
                    "the health transition framework",
                ),
                (
                    "Hold multidisciplinary transition meetings from age 16 for young "
                    "people with complex health needs.",
                    WS_PFA, ["Dr Imran Siddiqui"], "Jan 2026",
                    [
                        "Meeting held before the 17th birthday in 90% of cases",
                        "Named adult service clinician identified before age 18",
                    ],
                    "multidisciplinary transition meetings",
                ),
            ],
        ),
        (
            "There is more choice of post-16 courses and training close to home, "
            "and fewer young people with SEND are not in education, employment or "
            "training.",
            [
                (
                    "Map post-16 provision with colleges and training providers and "
                    "agree new courses where there are gaps.",
                    WS_PFA, ["Owen Castellan"], "March 2026",
                    [
                        "Post-16 map published on the Local Offer",
                        "Three new courses agreed for September 2026",
                    ],
                    "the post-16 map",
                ),
                (
                    "Track young people aged 16-25 with EHCPs who are NEET and offer "
                    "each one a personal adviser.",
                    WS_PFA, [], "Ongoing",
                    [
                        "Every NEET young person with a plan offered an adviser",
                        "NEET rate for young people with plans falls below 10%",
                    ],
                    "NEET tracking",
                ),
            ],
        ),
        (
            "More young people with SEND move into paid work.",
            [
                (
                    "Increase supported internships from 35 to 80 a year, working "
                    "with employers and the job coach service.",
                    WS_PFA, ["Owen Castellan"], "September 2026",
                    [
                        "80 internships starting in 2026-27",
                        "Half of completing interns in paid work within a year",
                    ],
                    "supported internships",
                ),
                (
                    "Recruit disability-confident employers through local business "
                    "networks and run two neurodiversity-at-work sessions a year.",
                    WS_PFA, ["Owen Castellan"], "December 2026",
                    [
                        "40 employers signed up",
                        "Three-quarters of session attendees feel better equipped",
                    ],
                    "employer engagement",
                ),
            ],
        ),
        (
            "Young people build independence and have things to do in their "
            "community, including friendships, leisure and getting about.",
            [
                (
                    "Extend independent travel training to every special school and "
                    "college.",
                    WS_PFA, ["Carl Redfern"], "Q2 2026",
                    [
                        "Training available in all special schools and colleges",
                        "150 young people travelling independently after training",
                    ],
                    "travel training",
                ),
                (
                    "Commission short breaks and youth activities chosen with young "
                    "people with SEND.",
                    WS_PFA, ["Jordan Fairclough", "Carl Redfern"], "Feb 26",
                    [
                        "Young people sit on the commissioning panel",
                        "Short break take-up rises by 20%",
                    ],
                    "short breaks and youth activities",
                ),
            ],
        ),
    ],
}


# --------------------------------------------------------------------------
# Phrase pools for extra outcomes/actions when more than 80 are requested.
# --------------------------------------------------------------------------
EXTRA_OUTCOME_OPENINGS = {
    "1": (
        "Partners agree where money is best spent on SEND and review it each year.",
        "The board sees early warning of rising demand in each district.",
        "Schools are represented in every partnership decision that affects them.",
        "Specialist places are planned at least two years ahead of need.",
        "Leaders can show the board what changed for children as a result of each decision.",
        "Health, care and education budgets for SEND are planned together.",
        "District partnerships have the information they need to plan locally.",
        "The independent chair's challenge leads to faster decisions.",
        "Commissioned services report on outcomes, not only activity.",
        "Risks to the plan are known, owned and reducing.",
    ),
    "2": (
        "Plans for children in the early years are timely and well informed.",
        "Provision in section F is specific and can be checked in school.",
        "Reviews for children in care are joined up with their care plans.",
        "Case officers have manageable caseloads and stay in post.",
        "Decisions not to assess are explained clearly and fairly.",
        "Amended plans are issued promptly after each annual review.",
        "Children placed out of area have plans reviewed on time.",
        "Personal budgets are offered and explained to every eligible family.",
        "Advice from therapists is current and reflects the child today.",
        "Plans for young people over 16 describe their further learning properly.",
    ),
    "3": (
        "Early years settings spot emerging neurodevelopmental needs sooner.",
        "Children with ADHD medication move smoothly between services.",
        "Schools receive specialist advice within a month of asking.",
        "The pathway is consistent across every provider in the area.",
        "Families waiting longest are offered additional support.",
        "Girls and children from minority communities are identified as early as others.",
        "Mental health support is available to neurodivergent children without a diagnosis.",
        "Post-diagnosis support is offered to every family.",
        "Referrals that do not need assessment are redirected to help quickly.",
        "The pathway learns from families' experience of it.",
    ),
    "4": (
        "Families receive replies that are prompt, personal and clear.",
        "Parent carers help to design each new service before it is commissioned.",
        "Young people's advice is reported back to them with what changed.",
        "Information about SEND is available in community languages.",
        "Practitioners use the Local Offer to signpost families confidently.",
        "Families from all districts take part in engagement events.",
        "Letters about assessments are written in plain English.",
        "Feedback from families is collected throughout the year, not once.",
        "The parent carer forum has the resources to represent families well.",
        "Children with complex communication needs have their views captured.",
    ),
    "5": (
        "Young people have a personal plan for the move from school to college.",
        "Adult social care knows about young people who will need support well in advance.",
        "More young people with SEND gain qualifications by 19.",
        "Young people can try work through placements and volunteering.",
        "Supported living options are planned with young people and families.",
        "Health reviews continue without a gap after the 18th birthday.",
        "Young people take part in clubs, sport and leisure near home.",
        "Families understand what changes at 18 for benefits, care and health.",
        "Colleges have the specialist staff they need for students with plans.",
        "Young people leaving care with SEND are supported into adult life.",
    ),
}

EXTRA_OUTCOME_CLOSINGS = (
    "Families report that the change makes a practical difference.",
    "Progress is visible on the dashboard and discussed at the board.",
    "Improvement is seen in every district, not only the best performing.",
    "Children and young people say they notice the difference.",
    "Practitioners say the change helps them to do their job well.",
    "The gains are sustained after the improvement programme ends.",
    "Partners hold each other to account for the result.",
    "Parent carers help to judge whether it has worked.",
    "Variation between schools and settings narrows.",
    "The board receives evidence of impact at least twice a year.",
    "Young people help to check that it is working.",
    "Complaints on this subject fall.",
)

EXTRA_VERBS = (
    "Review and improve", "Pilot", "Roll out", "Strengthen", "Evaluate and refresh",
    "Co-produce", "Agree and publish", "Embed", "Relaunch", "Streamline",
    "Redesign", "Extend",
)

EXTRA_OBJECTS = {
    "1": (
        "the district SEND partnership meetings",
        "the joint funding panel for complex cases",
        "the annual SEND self-evaluation",
        "the quarterly sufficiency forecast",
        "the board's impact reporting",
        "the contract monitoring of therapy services",
        "the SEND section of the schools forum agenda",
        "the partnership risk appetite statement",
        "the programme for new resourced provision bases",
        "the benchmarking report against statistical neighbours",
        "the short breaks commissioning plan",
        "the schools' inclusion charter",
    ),
    "2": (
        "the early years route into statutory assessment",
        "the checklist for section F provision",
        "the link between annual reviews and care plan reviews",
        "caseload weighting for case officers",
        "decision letters for requests not taken forward",
        "the amended plan process after annual review",
        "monitoring of children placed out of area",
        "the personal budget offer",
        "the request route for therapy advice",
        "post-16 content in plans",
        "the audit moderation panel",
        "the tribunal bundle preparation process",
    ),
    "3": (
        "early identification guidance for early years settings",
        "the ADHD medication shared care arrangement",
        "the school consultation line for specialist advice",
        "the provider assurance visits",
        "the offer for families waiting more than a year",
        "outreach to under-identified groups",
        "mental health support for neurodivergent children",
        "the post-diagnosis support pack",
        "the redirection route for referrals",
        "the family experience survey for the pathway",
        "sensory support advice for schools",
        "the waiting list triage review",
    ),
    "4": (
        "the standard for response times to families",
        "co-production in service design",
        "the 'you said, we did' report for young people",
        "translated information on the Local Offer",
        "practitioner training on the Local Offer",
        "the engagement calendar across districts",
        "plain English templates for assessment letters",
        "the year-round feedback route for families",
        "the funding agreement with the parent carer forum",
        "methods for gathering the views of non-verbal children",
        "the SEND newsletter for schools",
        "the Local Offer social media channels",
    ),
    "5": (
        "the Year 11 to college transition plan",
        "the adult social care transition forecast",
        "the post-16 qualifications offer",
        "work tasters and volunteering placements",
        "the supported living planning group",
        "the handover to adult health reviews",
        "inclusive clubs and leisure activities",
        "information for families on turning 18",
        "specialist staffing in colleges",
        "support for care leavers with SEND",
        "the job coach service",
        "the independent living skills programme",
    ),
}

EXTRA_REACH = (
    "", "", "", " across every district", " starting in {district}",
    " with schools and colleges", " with health and care partners",
)

EXTRA_PURPOSES = {
    "1": (
        "so that decisions are based on evidence of need",
        "so that the board can see impact, not only activity",
        "so that resources follow the greatest need",
        "so that pressures are spotted before they become crises",
        "so that partners share responsibility for results",
    ),
    "2": (
        "so that families receive plans they can rely on",
        "so that delays are caught before deadlines are missed",
        "so that plans reflect the child's current needs",
        "so that provision can be delivered and checked",
        "so that families understand every decision",
    ),
    "3": (
        "so that children get help without waiting for a diagnosis",
        "so that waits become shorter and fairer",
        "so that schools can meet needs earlier",
        "so that families feel supported at every stage",
        "so that the pathway meets national standards",
    ),
    "4": (
        "so that families feel informed and respected",
        "so that young people's views change decisions",
        "so that information is easy to find",
        "so that complaints are prevented rather than handled",
        "so that co-production becomes everyday practice",
    ),
    "5": (
        "so that young people move into adult life with confidence",
        "so that there is no gap in support at 18",
        "so that more young people find paid work",
        "so that young people have real choices after school",
        "so that young people live as independently as they can",
    ),
}

EXTRA_CRITERIA = {
    "1": (
        "Approved by the board by {month}",
        "Reviewed every {period} by the operations group",
        "Evidence of impact reported to the board twice a year",
        "{pct}% of partners confirm they use it",
        "Baseline set and improvement of {small} points shown within a year",
        "District figures available for every measure",
    ),
    "2": (
        "{pct}% completed within the statutory timescale",
        "Audit sample of {n} plans shows improvement",
        "Complaints on this subject fall by {small}%",
        "Guidance issued to all case officers by {month}",
        "Monthly performance reported on the dashboard",
        "Families rate the process at least {score} out of 5",
    ),
    "3": (
        "{pct}% of schools using it by {month}",
        "Waiting families offered support within {small} weeks",
        "Feedback from {n} families collected and acted on",
        "Agreed by all NHS providers",
        "Median wait falls by {small} weeks",
        "Monthly data reported to the ND programme board",
    ),
    "4": (
        "{pct}% of families say they felt listened to",
        "Co-produced with at least {small} parent carers",
        "Young people's forum signs off the final version",
        "Published on the Local Offer by {month}",
        "Response standard met in {pct}% of cases",
        "Reach extended to all five districts",
    ),
    "5": (
        "{pct}% of young people with plans have a transition plan at 14",
        "{n} young people take part in the first year",
        "NEET rate for young people with plans falls by {small} points",
        "Agreed by children's and adult services by {month}",
        "Young people rate the support at least {score} out of 5",
        "Outcomes tracked to age 25",
    ),
}


# --------------------------------------------------------------------------
# Update narratives and evidence.
# {topic}/{Topic} is the action's topic; other fields are filled in by the
# generator.
# --------------------------------------------------------------------------
OPEN_AMBER = (
    "On track.",
    "Work on {topic} is progressing to plan.",
    "Steady progress on {topic} this month.",
    "No change to the forecast date for {topic}.",
    "Milestones for this period met on {topic}.",
    "{Topic}: delivery continues as planned.",
    "Progressing; lead officer confident the timescale will be met.",
    "Good progress since the last board.",
    "{Topic} remains on schedule.",
    "Moving forward as agreed at the operations group.",
)
OPEN_RED = (
    "Behind schedule.",
    "Work on {topic} has slipped against the agreed timescale.",
    "{Topic} is delayed and rated Red.",
    "Not on track this month.",
    "Delivery of {topic} is at risk.",
    "Slippage reported on {topic}.",
    "Red: the agreed milestone for this month was missed.",
    "Progress on {topic} has stalled.",
)
OPEN_TO_RED = (
    "Rated Red this month: {topic} has slipped.",
    "Moved from Amber to Red this month.",
    "Now off track; {topic} will miss its milestone.",
    "Status lowered to Red after the operations group review.",
)
OPEN_OVERDUE = (  # Red and past the due date
    "Overdue: {topic} was due in {due} and is not yet complete.",
    "Past the {due} timescale and still open.",
    "Still overdue against the {due} timescale.",
    "{Topic} missed its {due} deadline; a revised date is being agreed.",
    "Remains Red and overdue.",
    "Overdue; the board has asked for a firm completion date.",
)
OPEN_TO_RED_LATE = (  # Amber last month, Red now, and past the due date
    "Lowered to Red: {topic} is overdue against the {due} timescale.",
    "Moved to Red: {topic} has passed its {due} due date.",
    "Now Red; the {due} timescale has passed without completion.",
)
OPEN_AMBER_LATE = (  # Amber and past the due date: finishing off
    "Past the {due} timescale; final steps under way.",
    "Close to completion; sign-off expected at the {next_mon} board.",
    "{Topic} is substantially done and awaiting sign-off.",
    "Completion evidence for {topic} is being gathered.",
    "Behind the {due} timescale but expected to close soon.",
)
OPEN_AMBER_ONGOING = (  # Amber with no end date (ongoing, quarterly, TBC)
    "On track.",
    "Continuing as planned.",
    "{Topic} continues as an ongoing commitment.",
    "This period's cycle of {topic} completed as planned.",
    "Regular review of {topic} carried out this period.",
    "Business as usual; no issues to escalate.",
)
OPEN_TO_AMBER = (
    "Back on track after last month's delay.",
    "Recovered to Amber; {topic} is moving again.",
    "Recovery plan working and status raised to Amber.",
    "Improved from Red to Amber following the board's challenge.",
)
OPEN_TO_GREEN = (
    "Completed and signed off at the board.",
    "Action complete: {topic} delivered.",
    "{Topic} is finished and the evidence has been accepted.",
    "Closed as complete by the operations group.",
    "Delivered in full; rated Green.",
)
OPEN_STAY_GREEN = (
    "Remains complete.",
    "Complete; impact monitoring continues.",
    "No further action; impact tracked through the dashboard.",
    "Completed earlier; benefits are being tracked.",
    "Closed. Lead officer reports sustained change.",
    "{Topic} remains complete.",
    "{Topic} is now part of business as usual.",
    "Complete; the {team} now looks after {topic}.",
    "No further action on {topic}; impact is being tracked.",
)

DETAIL_AMBER = (
    "Task and finish group met on {day} {mon}; next steps agreed.",
    "{k} of {m} milestones complete, with the rest scheduled for {next_mon}.",
    "Draft shared with the parent carer forum for comment by {day} {next_mon}.",
    "Latest figure {pct}% against a target of {tgt}%.",
    "Highlight report presented to the operations group on {day} {mon}.",
    "Recruitment: {k} of {m} posts filled so far.",
    "Feedback from {who} is being built into the next version.",
    "Awaiting data from {provider} to confirm the baseline.",
    "Pilot running in {district}; evaluation due in {next_mon}.",
    "Briefing delivered to {n} SENCOs.",
    "Sign-off of {topic} expected at the {next_mon} board.",
    "Engagement session held in {district} with {n} families.",
    "Procurement under way; tenders close on {day} {next_mon}.",
    "Funding of £{money}k confirmed for the rest of the year.",
    "Revised timeline agreed with the {team}.",
)
DETAIL_RED = (
    "Delayed by a vacancy in the {team}; recovery date {next_mon}.",
    "Dependent on {dependency}, which is not yet resolved.",
    "Procurement reopened on {day} {mon} after no compliant bids were received.",
    "Data not yet received from {provider}; escalated to the operations group.",
    "Board challenged the slippage and asked for a recovery plan by {next_mon}.",
    "Latest figure fell to {pct}% against a target of {tgt}%.",
    "Lead officer on long-term leave; interim cover from the {team} being arranged.",
    "Funding decision deferred to the {next_mon} Cabinet meeting.",
    "Capacity in the {team} diverted to the annual review backlog this month.",
    "Information governance sign-off for {topic} still outstanding.",
    "Demand rose by {small}% in the quarter and outpaced capacity.",
    "Added to the risk register with a current score of {risk}.",
)
DETAIL_GREEN = (  # the month an action is completed
    "Evidence of completion accepted by the board on {day} {mon}.",
    "Impact will now be tracked through KPI {kpi}.",
    "Monitoring moves to business as usual in the {team}.",
    "Final report published on the Local Offer on {day} {mon}.",
    "Lead officer to report impact to the board in {later_mon}.",
    "Closure report agreed at the operations group on {day} {mon}.",
)
DETAIL_GREEN_SUSTAINED = (  # later months, after completion
    "Latest figure {pct}% against a target of {tgt}%.",
    "Parent carer forum confirmed at its {mon} meeting that families can see the change.",
    "Learning shared with the other workstreams at the {mon} operations group.",
    "Impact report to the board scheduled for {later_mon}.",
    "No new risks identified at the {mon} review.",
    "KPI {kpi} holding at {pct}% against a target of {tgt}%.",
    "Feedback from {who} remains positive.",
    "{n} families answered the latest impact survey.",
    "Impact check completed on {day} {mon} with no concerns.",
    "Impact summary shared with {who} on {day} {mon}.",
    "Dip sample of {small} cases in {mon} found the change has held.",
)

TEAMS = (
    "statutory assessment team", "educational psychology service", "data team",
    "commissioning team", "Local Offer team", "designated clinical officer team",
    "transitions team", "quality assurance team", "ND pathway team",
    "participation team",
)
PROVIDERS = (
    HEALTH_TRUST, "Harwick Hospitals NHS Foundation Trust",
    "Fellside Mental Health NHS Trust", "the ICB data team",
    "the children's social care system team", "the school census team",
)
DEPENDENCIES = (
    "the new case management system", "ICB funding approval",
    "the data sharing agreement", "recruitment to the team manager post",
    "the capital programme decision", "agreement from NHS providers",
    "the council budget round", "the procurement timetable",
)
WHO = (
    "the parent carer forum", "the young people's forum", "SENCO networks",
    "headteacher representatives", "health providers", "social care managers",
    "the independent chair", "case officers",
)
KPIS = ("1a", "1c", "2a", "2b (i)", "2b (ii)", "2d", "2f", "3a", "3c", "4b", "4e", "5a", "5c")

EVIDENCE = (
    "Board minutes {day} {mon}",
    "Dashboard extract {mon} {year}",
    "Highlight report, {mon} {year}",
    "Operations group minutes {day} {mon}",
    "Operations group action log",
    "Training attendance register",
    "Audit summary Q{quarter} {fy}",
    "Parent carer forum feedback note",
    "Email from lead officer {dmy}",
    "Published on the Local Offer {day} {mon}",
    "Tracker v{version}",
    "Recruitment tracker {mon} {year}",
    "Risk register extract {mon} {year}",
    "Survey results summary",
    "Panel decision log",
)
EVIDENCE_GREEN = (
    "Signed-off project closure report",
    "Board minutes {day} {mon}: completion agreed",
    "Closure note to the operations group, {mon} {year}",
    "Completion evidence pack v{version}",
)
