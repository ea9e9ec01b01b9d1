"""The Exams and Assignments exports (ExamCandidateExport, ExamQuestionStatsExport,
AssignmentGroupDataExport): background jobs on the sandbox clock (rules/jobs.py) about the one
resource they name, for administrators."""

from __future__ import annotations

from mockserver.vendors.synap.errors import invalid
from mockserver.vendors.synap.rules import action_logs, jobs
from mockserver.vendors.synap.rules.access import allow


class Export:
    allow = staticmethod(allow)

    def __init__(self, type_name: str, relationship: str, slug: str):
        self.type_name, self.relationship, self.slug = type_name, relationship, slug

    def create(self, call, record, body) -> None:
        about = record["relationships"].get(self.relationship)
        if not about:
            raise invalid(("relationships", self.relationship), f"{self.relationship} is required.")
        record["relationships"]["requestedBy"] = {"type": "User", "id": call.user_id} if call.user_id else None
        jobs.create(call, record, body,
                    f"{self.slug}-{about['id']}-{record['id']}.{record['attributes'].get('format') or 'csv'}")

    def created(self, call, record) -> None:
        about = record["relationships"][self.relationship]
        action_logs.record(call, f"{self.slug}.export", self.type_name, record["id"],
                           f"Exported {self.slug} of {about['type']} {about['id']}")

    def attributes(self, call, record) -> dict:
        return jobs.state(call, record)


exam_candidates = Export("ExamCandidateExport", "examV2", "exam-candidates")
exam_question_stats = Export("ExamQuestionStatsExport", "examV2", "exam-question-stats")
assignment_group_data = Export("AssignmentGroupDataExport", "assignmentGroup", "assignment-group-data")
