"""The errors a command raises. Views and routers turn them into a form error or a 4xx answer."""


class CommandError(Exception):
    status = 400

    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field


class Invalid(CommandError):
    """The input breaks a rule; `field` names the part of the input at fault."""

    status = 422


class Forbidden(CommandError):
    """The actor may not do this."""

    status = 403


class NotFound(CommandError):
    status = 404


class Conflict(CommandError):
    """The input is valid but the state of the record does not allow it now."""

    status = 409


class TooLarge(CommandError):
    """An upload beyond the size the mechanism accepts."""

    status = 413
