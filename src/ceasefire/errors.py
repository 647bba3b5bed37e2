"""The errors a command raises. Views and routers turn them into a form error or a 4xx answer."""


class CommandError(Exception):
    status = 400

    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field

    @property
    def errors(self) -> list[tuple[str | None, object]]:
        """(field, message) of every part of the input at fault: one, unless validate.every_field
        gathered several."""
        return getattr(self, "_errors", None) or [(self.field, self.message)]


class Invalid(CommandError):
    """The input breaks a rule; `field` names the part of the input at fault."""

    status = 422

    @classmethod
    def every(cls, errors: list[tuple[str | None, object]]) -> "Invalid":
        """One error naming each field at fault, each with the first thing wrong with it."""
        first: dict[str | None, object] = {}
        for field, message in errors:
            first.setdefault(field, message)
        (field, message), *_ = first.items()
        e = cls(message, field)
        e._errors = list(first.items())
        return e


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
