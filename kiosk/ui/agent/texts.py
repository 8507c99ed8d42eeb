"""Every string of agent mode's own pages: Simplified Chinese first, then English.

The forms, consent, signature and receipt are the citizen flow's screens and texts
(``kiosk.flows.messages``); these are the pages around them. Placeholders are named and
exist in both languages (tested).
"""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    "title": ("村（社区）代办", "Village agent"),
    "lang": ("English", "中文"),
    "elder.on": ("长辈版", "Large text"),
    "elder.off": ("标准版", "Standard"),
    "who": ("代办员：{name}（{area}）", "Agent: {name} ({area})"),
    "online": ("● 在线", "● Online"),
    "offline": ("▲ 离线登录", "▲ Signed in offline"),
    "sign_out": ("退出登录", "Sign out"),
    # sign-in
    "signin.title": ("代办员登录", "Agent sign-in"),
    "signin.hint": ("有信号时联网登录；无信号时可用本机保存的登录信息离线登录。",
                    "Signs in online where there is signal; offline, against what this "
                    "terminal kept from your last online sign-in."),
    "signin.number": ("代办员编号", "Agent number"),
    "signin.pin": ("密码", "PIN"),
    "signin.go": ("登录", "Sign in"),
    "signin.busy": ("正在登录…", "Signing in…"),
    "signin.empty": ("请输入代办员编号和密码。", "Enter your agent number and PIN."),
    # work list
    "list.title": ("走访清单", "Work list"),
    "list.read_card": ("请将居民的身份证放在读卡器上，系统会在清单中找到该居民。",
                       "Place the resident's ID card on the reader to find them on the list."),
    "list.count": ("本片区居民 {count} 人 · 清单有效期至 {until}",
                   "{count} residents in your area · list valid until {until}"),
    "list.none": ("本机还没有您的走访清单。请在有信号时点击“同步”获取。",
                  "There is no work list for you on this terminal yet. Press Sync where "
                  "there is signal."),
    "list.items": ("可办 {count} 项", "{count} item(s) to apply for"),
    "list.queue": ("我的办件", "My applications"),
    # sync
    "sync.go": ("同步", "Sync"),
    "sync.busy": ("正在同步…", "Syncing…"),
    "sync.sending": ("正在发送 {done}/{total}", "Sending {done}/{total}"),
    "sync.last": ("上次成功同步：{when}", "Last successful sync: {when}"),
    "sync.never": ("尚未成功同步", "Not synced yet"),
    "sync.ok": ("同步完成。", "Synced."),
    "sync.offline": ("无法连接平台，办件已保存在本机，有信号时再同步。",
                     "The platform cannot be reached; applications are kept on this "
                     "terminal. Sync again where there is signal."),
    "sync.held": ("{count} 件申请将在您联网登录后发送。",
                  "{count} application(s) will be sent when you sign in with signal."),
    # resident
    "res.title": ("居民：{name}", "Resident: {name}"),
    "res.village": ("所在村（社区）：{village}", "Village: {village}"),
    "res.not_listed": ("该居民不在您的走访清单上。仍可从全部事项中为其办理。",
                       "This resident is not on your work list. You can still apply for "
                       "any item with them."),
    "res.eligible": ("现在可以申请的事项", "Items they can apply for now"),
    "res.none": ("清单上暂无可申请事项。", "Nothing to apply for on the list right now."),
    "res.reason": ("理由：{reason}", "Why: {reason}"),
    "res.all_items": ("全部事项", "All items"),
    "res.for_you_ask": ("居民同意后，查看平台实时推荐", "With the resident's consent: what the "
                        "platform suggests now"),
    "res.for_you": ("平台实时推荐（可申请事项）", "Suggested by the platform now"),
    "res.end": ("结束走访", "End visit"),
    "res.submitted": ("本次已提交 {count} 件", "{count} submitted on this visit"),
    # queue
    "queue.title": ("我的办件", "My applications"),
    "queue.back": ("返回", "Back"),
    "queue.pending": ("待发送（{count}）", "Waiting to be sent ({count})"),
    "queue.sent": ("已发送（{count}）", "Sent ({count})"),
    "queue.dead": ("被退回，需要更正（{count}）", "Returned, to correct ({count})"),
    "queue.empty": ("无", "None"),
    "queue.entry": ("{applicant} · {item} · {when}", "{applicant} · {item} · {when}"),
    "queue.local": ("本机受理号 {number}", "Local receipt {number}"),
    "queue.case": ("受理编号 {number}", "Case number {number}"),
    "queue.status": ("办理进度：{status}", "Progress: {status}"),
    "queue.retry": ("发送失败，将自动重试", "Not sent yet; it will be retried"),
    "queue.reason": ("退回原因：{reason}", "Why it was returned: {reason}"),
    "queue.field": ("· {field}：{message}", "· {field}: {message}"),
    "code.validation": ("填写内容未通过平台校验", "The platform found problems in the form"),
    "code.idempotency_key_reused": ("与已提交的申请编号重复",
                                    "Same id as an application already submitted"),
    "code.payload_too_large": ("附件过大", "The attachments are too large"),
    "code.agent_mismatch": ("该申请属于另一位代办员", "This application belongs to another agent"),
    "queue.correct": ("更正并重新提交", "Correct and resend"),
    "status.received": ("已接收", "Received"),
    "status.accepted": ("已受理", "Accepted"),
    "status.in_review": ("审核中", "In review"),
    "status.approved": ("已批准", "Approved"),
    "status.rejected": ("未通过", "Rejected"),
    "status.completed": ("已办结", "Completed"),
    # correction
    "fix.title": ("更正被退回的申请", "Correct a returned application"),
    "fix.item": ("事项：{item}", "Item: {item}"),
    "fix.read_card": ("请读取申请人本人的身份证。更正后的申请需由申请人重新确认并签名。",
                      "Read the applicant's own ID card: the resident confirms and signs "
                      "the corrected application again."),
    "fix.cancel": ("取消更正", "Cancel"),
}
