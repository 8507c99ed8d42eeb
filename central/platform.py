"""The sandbox platform: one object that owns the database, the catalog, the workflow, the
fault injector and the routes, and answers :class:`~central.http.messages.Request` values.

:class:`SandboxServer` puts it behind a real HTTP server on a port of its own.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from central import api
from central.ahead import DEFAULT_QUEUE_SEED, Ahead, save_queue_seed
from central.assist_desk import AssistDesk, AssistSettings
from central.auth import authenticate
from central.blobs import BlobStore
from central.card_sessions import SessionLimits, save_limits
from central.catalog_source import CatalogSource
from central.clock import Clock, utc_now
from central.db import Database
from central.errors import Problem
from central.face_checks import SWEEP_EVERY_S, FaceChecks, ImageSweeper
from central.faults import Counters, FaultInjector, FaultPlan
from central.http.messages import Request, Response
from central.http.router import Router
from central.http.server import PlatformHTTPServer, ServerThread
from central.identity_rule import IdentityRule
from central.reference_photos import ReferencePhotos
from central.signing import load_or_create
from central.submissions import SubmissionDesk
from central.workflow import Workflow, WorkflowSchedule
from civic.extensions import Extension
from faces import scoring
from faces.worker import FaceWorker
from faces.worker_main import DEFAULT_ENGINE
from seeds import seeds_dir

log = logging.getLogger(__name__)

PLATFORM_VERSION = "sandbox-1.0"
DB_FILE = "central.sqlite3"


@dataclass(frozen=True)
class SandboxSettings:
    data_dir: Path
    seeds_dir: Path = field(default_factory=seeds_dir)
    faults: FaultPlan = field(default_factory=FaultPlan)
    workflow: WorkflowSchedule = field(default_factory=WorkflowSchedule)
    public_url: str = ""             # set by the server once its port is known
    agent_offline_days: int = 7
    worklist_valid_days: int = 7
    processing_delay_s: float = 0.0  # how long a submission takes to process (for 409 tests)
    session_limits: SessionLimits = field(default_factory=SessionLimits)
    # The face check's engine (the terminal's own, in a process of its own; a vendor's is
    # named the same way), and the least score a terminal's card-photo comparison needs:
    # named to every terminal in the heartbeat's config (central.identity_rule says why).
    face_engine: str = DEFAULT_ENGINE
    card_photo_threshold: float = scoring.THRESHOLD
    image_sweep_s: float = SWEEP_EVERY_S  # how often unnamed face images are swept (≤ 30 s)
    queue_seed: int = DEFAULT_QUEUE_SEED   # the halls' simulated queues (central.hall_queues)
    # video help: the clerks' hours and the ICE servers terminals and consoles are given
    assist: AssistSettings = field(default_factory=AssistSettings)
    # the extensions GET /v1/health names (all of them; fewer to stand for an older
    # platform: the endpoints stay, a terminal must not use what is not named)
    extensions: tuple[Extension, ...] = tuple(Extension)


class SandboxPlatform:
    def __init__(self, settings: SandboxSettings, clock: Clock = utc_now) -> None:
        self.settings = settings
        self.clock = clock
        self.db = Database(settings.data_dir / DB_FILE)
        self.session_limits = settings.session_limits
        with self.db.session() as conn:
            save_limits(conn, self.session_limits)
            save_queue_seed(conn, settings.queue_seed)   # for `kiosk central halls`
        self.faults = FaultInjector(settings.faults)
        self.counters = Counters()
        # made at first start, kept in the data dir; only its public half is served
        self.signing_key = load_or_create(settings.data_dir)
        self.catalog = CatalogSource(settings.seeds_dir, self.db, clock)
        # "For you" rules, halls and their queues (issue 19): seed data, checked at start
        self.ahead = Ahead.load(settings.seeds_dir, self.catalog.catalog, settings.queue_seed)
        self.blobs = BlobStore(settings.data_dir / "blobs", self.db, clock)
        self.workflow = Workflow(self.db, clock, settings.workflow)
        self.processing_delay_s = settings.processing_delay_s
        # Started on the first face check, not here: most runs of the sandbox never make
        # one, and the engine's process costs a second and ~80 MB to start.
        self.face_engine = FaceWorker(settings.face_engine)
        self.face_checks = FaceChecks(self.db, clock, self.blobs, self.face_engine,
                                      ReferencePhotos(self.face_engine),
                                      settings.image_sweep_s)
        self.image_sweeper = ImageSweeper(self.face_checks)
        self.identity_rule = IdentityRule(self.catalog.catalog_for,
                                          settings.card_photo_threshold)
        self.desk = SubmissionDesk(self.db, clock, self.catalog.validate_form,
                                   self.blobs.exists_on, self.workflow.first_step_at,
                                   on_received=self._received,
                                   processing_delay=lambda: self.processing_delay_s,
                                   identity=self.identity_rule)
        self.assist = AssistDesk(settings.assist)
        self.public_url = settings.public_url
        self.router = Router()
        api.register_all(self.router, self)

    def _received(self, count: int) -> None:
        self.counters.event("submissions_created", count)

    def handle(self, request: Request) -> Response:
        try:
            route, params = self.router.resolve(request.method, request.path)
            request.params, request.route = params, route.pattern
            if route.auth:
                with self.db.session() as conn:
                    request.device = authenticate(conn, request)
            return route.handler(request)
        except Problem as problem:
            return Response.problem(problem)
        except Exception:
            log.exception("central.bug", extra={"ctx": {"route": request.route}})
            return Response.problem(Problem("internal", "the sandbox failed; see its log"))


class SandboxServer:
    """The platform on a real HTTP server; a context manager that starts and stops both."""

    def __init__(self, settings: SandboxSettings, host: str = "127.0.0.1", port: int = 0,
                 clock: Clock = utc_now) -> None:
        self.platform = SandboxPlatform(settings, clock)
        self._http = PlatformHTTPServer((host, port), self.platform)
        bound_host, bound_port = self._http.server_address[:2]
        assert isinstance(bound_host, str)  # server_bind() stores getsockname(): a str host
        shown = f"[{bound_host}]" if ":" in str(bound_host) else bound_host
        self.url = f"http://{shown}:{bound_port}"
        self.port = int(bound_port)
        self.platform.public_url = settings.public_url or self.url
        self._thread = ServerThread(self._http)

    def start(self) -> SandboxServer:
        self._thread.start()
        self.platform.workflow.start()
        self.platform.image_sweeper.start()
        log.info("central.started", extra={"ctx": {"url": self.url}})
        return self

    def stop(self) -> None:
        self.platform.assist.close()     # long polls answer now, so threads join at once
        self.platform.workflow.stop()
        self.platform.image_sweeper.stop()
        self._thread.stop()
        self.platform.face_engine.close()
        self.platform.db.close()
        log.info("central.stopped")

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
