"""Errors of the village agent's services; each carries the words shown to the agent.

AgentError (UserFacingError)       something the agent can act on; ``zh``/``en`` say what
├── SignInRefused                  wrong agent number or PIN (online 401, or offline check)
├── SignInThrottled                the platform answered 429: wait ``retry_after_s``
├── LockedOut                      too many wrong PINs on this terminal: wait until ``until``
├── OfflineSignInUnavailable       no network and no usable offline record for this agent
├── TerminalNotReady               not enrolled, enrolled as a kiosk, or token revoked
├── PlatformUnreachable            network down, time-out, 5xx: try again with signal
├── PlatformRefused                the platform refused a call (403 other than the above)
├── NotSignedIn                    an action needs a signed-in agent (or the session ended)
├── StorageFailed                  the terminal cannot keep the agent's data (disk, key)
└── WorklistUnavailable            no work list on this terminal for this agent
    └── WorklistExpired            the stored list is past ``valid_until``: sync again

Anything else is a bug in our code, logged with its traceback by the caller.
"""

from __future__ import annotations

from kiosk.errors import UserFacingError


class AgentError(UserFacingError):
    """A known failure of the agent's services; ``zh``/``en`` are what the agent reads."""


class SignInRefused(AgentError):
    def __init__(self, attempts_left: int | None = None) -> None:
        en = "Wrong agent number or PIN."
        zh = "代办员编号或密码不正确。"
        if attempts_left is not None:
            en += f" {attempts_left} attempt(s) left before this terminal locks sign-in."
            zh += f"再错{attempts_left}次，本终端将暂停登录。"
        super().__init__(en, zh)
        self.attempts_left = attempts_left


class SignInThrottled(AgentError):
    def __init__(self, retry_after_s: float) -> None:
        minutes = max(1, round(retry_after_s / 60))
        super().__init__(f"The platform has paused sign-in after too many attempts; try again "
                         f"in about {minutes} minute(s).",
                         f"登录尝试过多，平台已暂停登录，请约{minutes}分钟后再试。")
        self.retry_after_s = retry_after_s


class LockedOut(AgentError):
    def __init__(self, until: float, now: float) -> None:
        minutes = max(1, round((until - now) / 60))
        super().__init__(f"Too many wrong PINs: sign-in on this terminal is locked for about "
                         f"{minutes} minute(s).",
                         f"密码错误次数过多，本终端登录已锁定，约{minutes}分钟后可再试。")
        self.until = until


class OfflineSignInUnavailable(AgentError):
    def __init__(self, reason: str) -> None:
        if reason == "expired":
            en = ("No network, and your offline sign-in on this terminal has expired. Sign in "
                  "once where there is signal.")
            zh = "当前无网络，且您在本终端的离线登录已过期，请在有信号的地方联网登录一次。"
        else:
            en = ("No network, and you have not signed in on this terminal online yet. Sign in "
                  "once where there is signal; after that you can sign in offline.")
            zh = ("当前无网络，且您尚未在本终端联网登录过。"
                  "请先在有信号的地方联网登录一次，之后可离线登录。")
        super().__init__(en, zh)
        self.reason = reason


class TerminalNotReady(AgentError):
    pass


class PlatformUnreachable(AgentError):
    def __init__(self, detail: str) -> None:
        super().__init__(f"Cannot reach the platform ({detail}); check the signal and try "
                         "again. Work already queued is kept.",
                         "无法连接平台，请检查网络信号后重试。已保存的办件不会丢失。")
        self.detail = detail


class PlatformRefused(AgentError):
    pass


class NotSignedIn(AgentError):
    def __init__(self) -> None:
        super().__init__("Please sign in first (the session may have ended after inactivity).",
                         "请先登录（长时间未操作会自动退出）。")


class StorageFailed(AgentError):
    def __init__(self, detail: str) -> None:
        super().__init__(f"This terminal cannot save the agent's data ({detail}); ask a "
                         "technician to check the disk.",
                         "本终端无法保存代办数据（存储故障），请联系技术人员检查。")
        self.detail = detail


class WorklistUnavailable(AgentError):
    def __init__(self, en: str = "There is no work list on this terminal yet: sync while "
                                 "online to get one.",
                 zh: str = "本终端还没有走访清单，请联网同步获取。") -> None:
        super().__init__(en, zh)


class WorklistExpired(WorklistUnavailable):
    def __init__(self, valid_until: str) -> None:
        super().__init__(f"The work list expired on {valid_until}; it can no longer be used. "
                         "Sync while online to get a fresh one.",
                         f"走访清单已于{valid_until}过期，不能再使用，请联网同步获取新清单。")
        self.valid_until = valid_until
