"""All models, imported here so Alembic and the app see the whole metadata."""
from qa_app.models.base import Base, utcnow
from qa_app.models.people import ROLE_VALUES, Agent, ApiToken, Role, Team, User, user_teams
from qa_app.models.transcripts import MESSAGE_ROLES, Message, Transcript
from qa_app.models.analysis import Flag, PolicyPack, TranscriptAnalysis
from qa_app.models.rubrics import Rubric, RubricVersion
from qa_app.models.sampling import Assignment, PlanReviewer, SamplingPlan, SamplingRun
from qa_app.models.reviews import (CalibrationConsensus, CoachingNote, CriterionScore, MessageComment, NoteRevision,
                                   Review, ReviewFlagVerdict, ReviewRevision)
from qa_app.models.feedback import AppSetting, AuditEvent, Dispute, LoginThrottle, Notification

__all__ = [
    "Base", "utcnow", "ROLE_VALUES", "Agent", "ApiToken", "Role", "Team", "User", "user_teams",
    "MESSAGE_ROLES", "Message", "Transcript", "Flag", "PolicyPack", "TranscriptAnalysis",
    "Rubric", "RubricVersion", "Assignment", "PlanReviewer", "SamplingPlan", "SamplingRun",
    "CalibrationConsensus", "CoachingNote", "CriterionScore", "MessageComment", "NoteRevision", "Review",
    "ReviewFlagVerdict", "ReviewRevision", "AppSetting", "AuditEvent", "Dispute", "LoginThrottle", "Notification",
]
