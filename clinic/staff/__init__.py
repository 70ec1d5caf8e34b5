"""Staff sign-in: who may read patients' health data, and for how long.

Staff read leads, appointments and self-check answers, so a password alone is not
enough. django-axes counts wrong passwords in the database and locks an account, or
an address, after a few (`lockout.py`); django-otp adds a second factor that every
staff account enrols in at its first sign-in (`second_factor.py`, `views.py`);
`sessions.py` ends a session that has been idle, and asks for the password again
before personal data leaves the building in an export.
"""
