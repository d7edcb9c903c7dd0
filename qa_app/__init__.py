"""QA Desk application factory: reads like a table of contents."""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def create_app(config: dict | None = None) -> Flask:
    # Flask is imported here, not at module level, so `import qa_app.nlp` (used without a web app by
    # benchmarks and worker processes) does not pull in the web stack.
    from flask import Flask

    from qa_app.config import INSTANCE_DIR, Config, check_production, from_environment

    app = Flask(__name__, instance_path=str(INSTANCE_DIR))
    app.config.from_object(Config)
    app.config.update(from_environment())
    if config:
        app.config.update(config)
    check_production(app.config)  # refuses to start in production with a default secret or insecure cookies
    INSTANCE_DIR.mkdir(exist_ok=True)
    _configure_logging(app)
    if not app.config.get("SECRET_KEY_FROM_ENV") and not app.testing:
        logging.getLogger(__name__).warning("SECRET_KEY is not set; using a random key (sessions end on restart).")

    _init_extensions(app)
    _install_request_guards(app)
    _register_blueprints(app)
    _register_cli(app)
    _register_template_helpers(app)
    from qa_app.errors import register_error_handlers

    register_error_handlers(app)
    return app


def _init_extensions(app: Flask) -> None:
    from qa_app import models  # noqa: F401  (registers every table on the metadata)
    from qa_app.extensions import bootstrap, csrf, db, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(app.root_path + "/../migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    bootstrap.init_app(app)

    @login_manager.user_loader
    def load_user(user_id: str):
        return db.session.get(models.User, int(user_id))


def _configure_logging(app: Flask) -> None:
    from qa_app import logging_setup

    logging_setup.configure(app)


def _install_request_guards(app: Flask) -> None:
    """Proxy headers (when configured), the central access gate and the security headers; order matters:
    the request id (logging) is set first, then the gate runs before every blueprint's own checks."""
    from qa_app import security_headers
    from qa_app.auth import gate

    if app.config.get("QA_PROXY_COUNT"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        n = app.config["QA_PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n, x_port=n, x_prefix=n)
    gate.register(app)
    security_headers.register(app)


def _register_blueprints(app: Flask) -> None:
    from qa_app.admin.routes import bp as admin_bp
    from qa_app.api.routes import bp as api_bp
    from qa_app.auth.routes import bp as auth_bp
    from qa_app.dashboards.routes import bp as dashboards_bp
    from qa_app.health import bp as health_bp
    from qa_app.policy.routes import bp as policy_bp
    from qa_app.portal import blueprints as portal_blueprints
    from qa_app.reviews.routes import bp as reviews_bp
    from qa_app.rubrics.routes import bp as rubrics_bp
    from qa_app.sampling.routes import bp as sampling_bp
    from qa_app.transcripts.routes import bp as transcripts_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(health_bp)
    app.register_blueprint(transcripts_bp)
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(policy_bp, url_prefix="/admin/policy")
    app.register_blueprint(rubrics_bp, url_prefix="/rubrics")
    app.register_blueprint(sampling_bp, url_prefix="/sampling")
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    app.register_blueprint(reviews_bp)
    app.register_blueprint(dashboards_bp, url_prefix="/dashboards")
    for blueprint in portal_blueprints:  # /me (agent portal), /disputes, /notifications
        app.register_blueprint(blueprint)


def _register_cli(app: Flask) -> None:
    from qa_app.cli import qa_cli

    app.cli.add_command(qa_cli)


def _register_template_helpers(app: Flask) -> None:
    from qa_app.templating import register

    register(app)
