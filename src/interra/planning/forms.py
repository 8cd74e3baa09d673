from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy

from .services import MAX_DAYS, MAX_TIME_LIMIT


class PlanForm(forms.Form):
    city = forms.ModelChoiceField(queryset=None, label=gettext_lazy("City"))
    # A date input takes only ISO dates: a localized value would leave it empty.
    starts_on = forms.DateField(label=gettext_lazy("From"),
                                widget=forms.DateInput(attrs={"type": "date"},
                                                       format="%Y-%m-%d"))
    weeks = forms.IntegerField(label=gettext_lazy("Weeks"), min_value=1,
                               max_value=MAX_DAYS // 7, initial=4)
    time_limit = forms.IntegerField(
        label=gettext_lazy("Time limit (seconds)"), min_value=1, max_value=MAX_TIME_LIMIT,
        initial=10, help_text=gettext_lazy("Longer can find a better plan."))

    def __init__(self, *args, cities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = cities
        if cities.count() == 1:
            self.fields["city"].initial = cities.first()
        today = timezone.localdate()
        self.fields["starts_on"].initial = today + timedelta(days=7 - today.weekday())
