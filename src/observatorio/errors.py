"""The one exception type for mistakes a user can fix."""


class UserError(Exception):
    """A problem in the user's input: printed as one message, exit status 1, no traceback.

    The message names the file (and line, row or field where known) and says what to do.
    """
