"""The civic-service domain, below everything else: pure data and rules, no Qt, no I/O.

*Civic* because what it holds is the citizen's side of a government service: who a resident
is (identity, ID numbers under GB 11643, their personal data masked), what can be applied
for (the service catalog, its forms and eligibility rules), and what a terminal hands the
platform (the Submission wire format). None of it knows about card readers, the outbox,
the sandbox platform or the screens; ``devices``, ``offline_queue``, ``central`` and
``kiosk`` all build on it, and it imports none of them (import-linter checks it).

It opens no file, socket or device and starts no thread: loaders hand it what they read.
"""
