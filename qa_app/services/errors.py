"""Errors raised by services; routes and the CLI turn them into messages."""


class ServiceError(Exception):
    """A rule of the domain refused the request; the message is safe to show to the user."""


class NotFound(ServiceError):
    pass
