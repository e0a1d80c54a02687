"""Shapes of the search API: the query it takes and the groups it answers."""

from rest_framework import serializers

from clientfolio.reports.forms import QUERY_ERRORS
from clientfolio.reports.matching import MAX_QUERY_LENGTH, QueryError, query_words
from clientfolio.reports.search import KINDS

__all__ = ["SearchGroupSerializer", "SearchQuerySerializer"]


class SearchQuerySerializer(serializers.Serializer):
    q = serializers.CharField(
        trim_whitespace=False,
        allow_blank=True,
        help_text="Words to find (every word must occur), 1 to 100 characters.",
    )
    kind = serializers.ChoiceField(
        choices=list(KINDS),
        required=False,
        help_text="Only this kind, page by page (`page`, `page_size`).",
    )
    page = serializers.IntegerField(required=False, min_value=1, default=1)
    page_size = serializers.IntegerField(
        required=False, min_value=1, max_value=100, default=20
    )

    def validate_q(self, value: str) -> str:
        try:
            query_words(value)
        except QueryError as error:
            raise serializers.ValidationError(
                str(QUERY_ERRORS[error.code]) % {"limit": MAX_QUERY_LENGTH},
                code=error.code,
            ) from None
        return value.strip()


class SnippetSerializer(serializers.Serializer):
    before = serializers.CharField(read_only=True)
    match = serializers.CharField(read_only=True, help_text="The matched text.")
    after = serializers.CharField(read_only=True)


class HitSerializer(serializers.Serializer):
    kind = serializers.CharField(read_only=True)
    title = serializers.CharField(read_only=True)
    snippet = SnippetSerializer(read_only=True)
    url = serializers.CharField(read_only=True, help_text="The record's page.")
    project = serializers.CharField(
        read_only=True, help_text="Code and name of its project; empty if none."
    )
    client = serializers.CharField(read_only=True, help_text="Its client's name.")


class SearchGroupSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=list(KINDS), read_only=True)
    name = serializers.CharField(
        source="label", read_only=True, help_text="The kind's name."
    )
    total = serializers.IntegerField(
        read_only=True, help_text="Number of hits, at most 1000 (see `capped`)."
    )
    capped = serializers.BooleanField(
        read_only=True, help_text="True when there are more than `total` hits."
    )
    offset = serializers.IntegerField(read_only=True)
    hits = HitSerializer(many=True, read_only=True)


class SearchResultSerializer(serializers.Serializer):
    q = serializers.CharField(read_only=True)
    groups = SearchGroupSerializer(many=True, read_only=True)
