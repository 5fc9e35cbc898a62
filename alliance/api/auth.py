"""Token sign-in for machine clients: hashed, expiring, revocable tokens (django-rest-knox)."""

from drf_spectacular.utils import extend_schema, inline_serializer
from knox import views as knox_views
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.permissions import AllowAny
from rest_framework.throttling import ScopedRateThrottle

token_response = inline_serializer(
    name="TokenResponse",
    fields={"token": serializers.CharField(), "expiry": serializers.DateTimeField()},
)


class TokenObtainView(knox_views.LoginView):
    """POST a username and password, get a token for `Authorization: Token <token>`."""

    authentication_classes = ()
    permission_classes = (AllowAny,)
    throttle_classes = (ScopedRateThrottle,)
    throttle_scope = "token"

    @extend_schema(request=AuthTokenSerializer, responses={200: token_response})
    def post(self, request, format=None):
        # The plain HttpRequest, so django-axes can flag a lock-out that its middleware answers.
        serializer = AuthTokenSerializer(data=request.data, context={"request": request._request})
        serializer.is_valid(raise_exception=True)
        request.user = serializer.validated_data["user"]
        return super().post(request, format)


class TokenRevokeView(knox_views.LogoutView):
    """Revoke the token this request was made with; other clients keep theirs."""

    @extend_schema(request=None, responses={204: None})
    def post(self, request, format=None):
        return super().post(request, format)


class TokenRevokeAllView(knox_views.LogoutAllView):
    """Revoke every token of the signed-in user."""

    @extend_schema(request=None, responses={204: None})
    def post(self, request, format=None):
        return super().post(request, format)
