"""HTML error pages for the browser, JSON errors under /api."""
from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        if _wants_json():
            return jsonify(error="csrf", message=error.description), 400
        return render_template("error.html", code=400, title="Form expired",
                               message="The form was missing its security token or it expired. Reload and try again."), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if _wants_json():
            return jsonify(error=error.name.lower().replace(" ", "_"), message=error.description), error.code
        return render_template("error.html", code=error.code, title=error.name, message=error.description), error.code
