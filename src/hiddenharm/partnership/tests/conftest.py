from hiddenharm.accounts.testing import as_persona, fast_passwords, world  # noqa: F401  (fixtures)
