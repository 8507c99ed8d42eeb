"""One screen per module; each reads the flow and calls its methods, nothing more.

A screen subscribes to the flow while it is shown (:meth:`Screen.enter`) and unsubscribes
when it is left or closed; :meth:`Screen.clear` empties every widget that may have held a
citizen's data (the wipe calls it on every screen).
"""
