from hiddenharm.accounts.testing import as_persona, fast_passwords, world  # noqa: F401  (fixtures)
from hiddenharm.api.tests.helpers import api_client, data_dir, token_for  # noqa: F401
