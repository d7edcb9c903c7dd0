"""The agent portal (/me), the leads' dispute queue (/disputes) and everyone's notifications (/notifications)."""
from qa_app.portal.disputes import bp as disputes_bp
from qa_app.portal.notifications import bp as notifications_bp
from qa_app.portal.routes import bp as portal_bp

blueprints = (portal_bp, disputes_bp, notifications_bp)
