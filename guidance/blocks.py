"""The blocks a questionnaire is written in: questions, their answer options, and what an
answer means for services.

An answer option says, in the catalogue's own terms, what choosing it tells
about the client:

- ``needs``: service needs and life situations; a service matching one of
  them is relevant to the client;
- ``facts``: the client's home municipality, languages, audience and age
  band, which rule out services as the profile's own facts do;
- ``exclude``: services to leave out (a category or life situation, or a
  method of delivery the client cannot use);
- ``boost``: terms that lift a service without being needed.

Terms are stored as their slugs (municipalities: codes), which are the same
in every language, so a translated questionnaire means exactly what the
Finnish one does. Keys are regular-expression blocks, which wagtail-localize
does not offer for translation: answers refer to them.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

from catalogue.models import (
    DeliveryLanguage,
    DeliveryMethod,
    LifeSituation,
    Municipality,
    ServiceCategory,
    ServicePage,
)
from cms import localisation

KEY_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
KEY_ERROR = _("Käytä pieniä kirjaimia a–z, numeroita ja väliviivoja, esim. tavoite-opiskelu.")


def _terms(model, field="slug"):
    """(slug, Finnish name) of every term of a taxonomy, in its order."""
    terms = model.objects.filter(locale=localisation.default_locale())
    return [(getattr(term, field), term.name) for term in terms]


# Module-level callables: the choices are read when a form is shown, and migrations
# refer to them by name.
def category_choices():
    return _terms(ServiceCategory)


def life_situation_choices():
    return _terms(LifeSituation)


def method_choices():
    return _terms(DeliveryMethod)


def language_choices():
    return _terms(DeliveryLanguage)


def municipality_choices():
    return _terms(Municipality, "code")


class TermsBlock(blocks.MultipleChoiceBlock):
    """Terms of one taxonomy, picked with checkboxes and stored as slugs.

    Wagtail normalises a stored choice by looking it up among the choices, which
    here would be a database query for every value each time a questionnaire is
    read; the stored slugs are used as they are instead (the form validated them).
    """

    def __init__(self, choices, label, **kwargs):
        super().__init__(
            choices=choices,
            label=label,
            required=False,
            search_index=False,
            widget=forms.CheckboxSelectMultiple,
            **kwargs,
        )

    def to_python(self, value):
        return list(value or [])

    def normalize(self, value):
        return list(value or [])


class TermBlock(blocks.ChoiceBlock):
    """One term (e.g. a municipality code), stored as it is (see TermsBlock)."""

    def to_python(self, value):
        return value or ""

    def normalize(self, value):
        return value or ""


class NeedsBlock(blocks.StructBlock):
    """Palvelutarve: what the client needs; services with any of these terms are relevant."""

    categories = TermsBlock(category_choices, _("palvelutarpeet"))
    life_situations = TermsBlock(life_situation_choices, _("elämäntilanteet"))

    class Meta:
        label = _("Asiakkaan tarpeet")
        form_classname = "struct-block guidance-needs"
        collapsed = True


class FactsBlock(blocks.StructBlock):
    """Facts about the client: services that do not suit them are left out."""

    municipality = TermBlock(
        choices=municipality_choices, required=False, label=_("kotikunta"), search_index=False
    )
    languages = TermsBlock(language_choices, _("kielet, joita asiakas osaa"))
    audience = blocks.ChoiceBlock(
        choices=ServicePage.Audience.choices,
        required=False,
        label=_("asiakasryhmä"),
        search_index=False,
    )
    age_from = blocks.IntegerBlock(
        required=False, min_value=0, max_value=120, label=_("ikä vähintään")
    )
    age_to = blocks.IntegerBlock(
        required=False, min_value=0, max_value=120, label=_("ikä enintään")
    )

    class Meta:
        label = _("Tiedot asiakkaasta")
        collapsed = True

    def clean(self, value):
        value = super().clean(value)
        low, high = value["age_from"], value["age_to"]
        if low is not None and high is not None and low > high:
            raise StructBlockValidationError(
                block_errors={
                    "age_to": ValidationError(_("Yläikäraja ei voi olla pienempi kuin alaikäraja."))
                }
            )
        return value


class ServiceTermsBlock(blocks.StructBlock):
    """Terms that exclude or lift services."""

    categories = TermsBlock(category_choices, _("palveluluokat"))
    life_situations = TermsBlock(life_situation_choices, _("elämäntilanteet"))
    methods = TermsBlock(method_choices, _("toteutustavat"))

    class Meta:
        collapsed = True


class OptionBlock(blocks.StructBlock):
    """Vastausvaihtoehto: one answer to a question, and what it means for services."""

    key = blocks.RegexBlock(
        regex=KEY_PATTERN,
        max_length=50,
        label=_("tunniste"),
        error_messages={"invalid": KEY_ERROR},
        help_text=_("Pysyvä tunniste, johon vastaukset viittaavat; sama kaikilla kielillä."),
    )
    label = blocks.CharBlock(max_length=200, label=_("vastaus"))
    needs = NeedsBlock()
    facts = FactsBlock()
    exclude = ServiceTermsBlock(
        label=_("Jätä pois palvelut"),
        help_text=_(
            "Palveluluokka tai elämäntilanne jättää pois palvelut, joilla se on; toteutustapa "
            "ne, joita ei voi käyttää millään muulla tavalla."
        ),
    )
    boost = ServiceTermsBlock(label=_("Nosta palveluja"))

    class Meta:
        label = _("Vastausvaihtoehto")
        icon = "radio-full"


class QuestionBlock(blocks.StructBlock):
    """Kysymys: a question and its answer options."""

    key = blocks.RegexBlock(
        regex=KEY_PATTERN,
        max_length=50,
        label=_("tunniste"),
        error_messages={"invalid": KEY_ERROR},
        help_text=_("Pysyvä tunniste, johon vastaukset viittaavat; sama kaikilla kielillä."),
    )
    text = blocks.CharBlock(max_length=300, label=_("kysymys"))
    help = blocks.TextBlock(required=False, label=_("ohjeteksti"))
    multiple = blocks.BooleanBlock(
        required=False, label=_("useampi vastaus sallittu"), default=False
    )
    options = blocks.ListBlock(OptionBlock(), min_num=2, label=_("vastausvaihtoehdot"))

    class Meta:
        label = _("Kysymys")
        icon = "help"

    def clean(self, value):
        value = super().clean(value)
        keys = [option["key"] for option in value["options"]]
        if repeated := sorted({key for key in keys if keys.count(key) > 1}):
            raise StructBlockValidationError(
                block_errors={
                    "options": ValidationError(
                        _("Vastausvaihtoehtojen tunnisteiden on oltava erilaiset: %(keys)s")
                        % {"keys": ", ".join(repeated)}
                    )
                }
            )
        return value


class QuestionsBlock(blocks.StreamBlock):
    """The questions of a questionnaire, in order; their keys differ."""

    question = QuestionBlock()

    def clean(self, value):
        value = super().clean(value)
        keys = [child.value["key"] for child in value]
        if repeated := sorted({key for key in keys if keys.count(key) > 1}):
            raise blocks.StreamBlockValidationError(
                non_block_errors=ValidationError(
                    _("Kysymysten tunnisteiden on oltava erilaiset: %(keys)s")
                    % {"keys": ", ".join(repeated)}
                )
            )
        return value
