"""Qt bridges: each device or worker reports on its own thread; a bridge turns that into
queued signals, so slots (and the flow) only ever run on the GUI thread.

* :mod:`.invoker` — :class:`GuiInvoker` (run a callable on the GUI thread) and
  :class:`Worker` (one named thread running blocking jobs in order);
* :mod:`.idcard` — the ID-card reader monitor;
* :mod:`.smartcard` — the PC/SC monitor, reading a social-security card on a worker;
* :mod:`.printing` — receipts (ESC/POS) and A4 proofs on the ``printer`` worker;
* :mod:`.platform` — prefill over HTTP on the ``platform`` worker, outbox events.
"""
