"""Faces: is the person at the kiosk the one on the card? Qt-free, and free of the terminal.

What is here (docs/identity.md tells the whole story):

* :mod:`faces.engine` — the small interface a face engine implements (detect, 5 landmarks,
  a 128-d encoding, a similarity 0..1 with its threshold), so a vendor's certified engine
  can replace the default one, and :func:`faces.engine.read_faces` / ``single_face`` over it;
* :mod:`faces.dlib_engine` — the default engine: dlib's HOG detector, its 5-point shape
  predictor and its ResNet encoder, with the model files of ``face-recognition-models``;
* :mod:`faces.scoring` — distance → similarity, the threshold and the smallest usable face;
* :mod:`faces.worker` — the engine in a long-lived separate process (dlib holds the GIL for
  100–150 ms a frame, which would freeze any screen in the same process);
* :mod:`faces.liveness` — the head-turn / nod cue from the 5 landmarks (a coarse challenge);
* :mod:`faces.card_photo` — the ID card's WLT photo through the reader vendor's library;
* :mod:`faces.samples` — public-domain sample portraits read from installed packages.

dlib is imported only by :mod:`faces.dlib_engine`, and only inside the engine's process.
No frame, photo or encoding is written to disk or to a log by anything here.
"""
