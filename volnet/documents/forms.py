from django import forms
from django.utils.translation import gettext_lazy as _

from volnet.documents import codes
from volnet.forms import AccessibleFormMixin


class CodeForm(AccessibleFormMixin, forms.Form):
    code = forms.CharField(label=_("驗證碼"), max_length=80,
                           help_text=_("印在文件上的 20 碼英數字，例如 7KQ2-M9XD-4HTB-Z0WC-P3NE；大小寫與連字號皆可。"))

    def clean_code(self):
        code = codes.normalise(self.cleaned_data["code"])
        if not code:
            raise forms.ValidationError(_("驗證碼是 20 碼英文字母與數字，請對照文件再輸入一次。"))
        return code
