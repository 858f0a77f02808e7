"""The one error type of the domain: a refused action.

Every domain action refuses with a `DomainError` (or its app's subclass, e.g. `records.services.RecordError`,
`honorcard.services.HonorCardError`): `code` is stable for programs and tests, `message` is shown to people
in the language active when it was raised, `field` names the form field the problem belongs to (None: the
whole form) and `params` carries whatever else a caller may need (e.g. the account a sign-in found).

Views catch the app's error they expect and show it; a form that uses `volnet.forms.AccessibleFormMixin`
places one with `form.add_domain_error(error)`: next to its field when the form has that field, else at the
top of the form. Infrastructure failures (a mail server that refuses) are not domain errors.
"""


class DomainError(Exception):
    def __init__(self, code, message, field=None, **params):
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        self.params = params

    def __str__(self):
        return str(self.message)

    def __repr__(self):
        return f"{type(self).__name__}({self.code!r}, {str(self.message)!r}, field={self.field!r})"
