from io import StringIO

from django.core.management import call_command
from django.test import Client, TestCase

from portcullis.accounts.demo import DEMO_USERS
from portcullis.accounts.models import Membership, Office, Organisation, Person, Role, User
from portcullis.test import BaseTestCase


class DemoDataTests(TestCase):
    def test_loading_twice_neither_fails_nor_duplicates(self) -> None:
        call_command("load_demo", stdout=StringIO())
        counts = [m.objects.count() for m in (Organisation, Office, Person, Membership, User)]
        call_command("load_demo", stdout=StringIO())
        self.assertEqual(
            counts, [m.objects.count() for m in (Organisation, Office, Person, Membership, User)]
        )

    def test_the_demo_is_a_whole_legislature(self) -> None:
        out = StringIO()
        call_command("load_demo", stdout=out)
        self.assertEqual(Organisation.objects.filter(kind="house").count(), 2)
        self.assertEqual(Organisation.objects.filter(kind="party").count(), 3)
        self.assertEqual(Office.objects.count(), 40)
        staff = Membership.objects.filter(role__in=[Role.STAFFER, Role.OFFICE_MANAGER]).count()
        self.assertGreaterEqual(staff, 140)
        self.assertIn("security@demo.test", out.getvalue())

    def test_the_documented_sign_ins_work_and_share_the_first_office(self) -> None:
        call_command("load_demo", stdout=StringIO())
        for demo in DEMO_USERS:
            response = Client().post(
                "/sign-in/", {"username": demo.email, "password": "portcullis-demo"}
            )
            expected = (
                "/mfa/verify/"
                if demo.role
                in {
                    Role.SECURITY_OFFICER,
                    Role.GATE_OFFICER,
                    Role.PARTY_COMPLIANCE_OFFICER,
                    Role.ADMINISTRATOR,
                }
                else "/"
            )
            with self.subTest(email=demo.email):
                self.assertRedirects(response, expected, fetch_redirect_response=False)
        office = {
            email: User.objects.get(email=email).scope.office_ids
            for email in (
                "member@demo.test",
                "staff@demo.test",
                "manager@demo.test",
                "outsider@demo.test",
            )
        }
        self.assertEqual(office["member@demo.test"], office["staff@demo.test"])
        self.assertEqual(office["member@demo.test"], office["manager@demo.test"])
        self.assertNotEqual(office["member@demo.test"], office["outsider@demo.test"])


class ApiTokenTests(BaseTestCase):
    def token_for(self, email: str, *args: str) -> str:
        out = StringIO()
        call_command("create_api_token", email, *args, stdout=out)
        return out.getvalue().strip()

    def test_a_token_authenticates_an_integration_with_the_users_scope(self) -> None:
        token = self.token_for("outsider@test.example")
        client = Client(HTTP_AUTHORIZATION=f"Token {token}")
        me = client.get("/api/v1/me/").json()
        self.assertEqual(me["email"], "outsider@test.example")
        self.assertEqual(me["roles"], ["staffer"])
        names = [p["full_name"] for p in client.get("/api/v1/people/").json()["results"]]
        self.assertEqual(names, [str(self.outsider.person)])

    def test_each_call_makes_a_new_key(self) -> None:
        first = self.token_for("staffer@test.example")
        self.assertNotEqual(first, self.token_for("staffer@test.example", "--name", "Second"))

    def test_a_wrong_token_is_refused(self) -> None:
        client = Client(HTTP_AUTHORIZATION="Token not-a-real-token")
        self.assertEqual(client.get("/api/v1/me/").status_code, 401)

    def test_the_openapi_schema_and_docs_are_served_to_signed_in_users(self) -> None:
        client = self.client_for(self.staffer)
        schema = client.get("/api/v1/schema/")
        self.assertEqual(schema.status_code, 200)
        self.assertIn(b"openapi: 3", schema.content)
        self.assertIn(b"/api/v1/people/", schema.content)
        docs = client.get("/api/v1/docs/")
        self.assertContains(docs, '<code class="pc-api-path">/api/v1/people/</code>', html=False)
        self.assertContains(docs, 'href="#schema-Me"')
