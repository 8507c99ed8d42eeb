"""Every string of technician mode: Simplified Chinese first, then English."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    "title": ("技术人员模式", "Technician mode"),
    "lang": ("English", "中文"),
    "who": ("技术人员：{who}", "Technician: {who}"),
    "exit": ("返回服务界面", "Back to service"),
    "busy": ("正在执行…", "Working…"),
    "failed": ("操作未完成：{why}", "Not done: {why}"),
    "done": ("完成。", "Done."),
    "save": ("保存", "Save"),
    # gate
    "gate.title": ("技术人员登录", "Technician sign-in"),
    "gate.hint": ("每一项操作都会记入本机审计日志。",
                  "Every action is recorded in this terminal's audit log."),
    "gate.who": ("技术人员工号", "Technician number"),
    "gate.pin": ("维护密码", "Technician PIN"),
    "gate.go": ("进入", "Enter"),
    "gate.empty": ("请输入工号和密码。", "Enter your number and the PIN."),
    # navigation
    "nav.devices": ("设备", "Devices"),
    "nav.platform": ("平台登记", "Enrolment"),
    "nav.settings": ("配置", "Settings"),
    "nav.queue": ("队列", "Queue"),
    "nav.logs": ("日志", "Logs"),
    "nav.leave": ("退出自助模式", "Leave kiosk mode"),
    # devices
    "dev.title": ("设备设置与测试", "Devices: set up and test"),
    "dev.detect": ("自动检测", "Auto-detect"),
    "dev.found": ("检测到：{found}", "Found: {found}"),
    "dev.nothing": ("未检测到新设备", "Nothing new found"),
    "dev.idcard": ("身份证阅读器端口", "ID-card reader port"),
    "dev.smartcard": ("社保卡读卡器（PC/SC）", "Social-security card reader (PC/SC)"),
    "dev.printer": ("凭条打印机地址", "Receipt printer URL"),
    "dev.a4": ("A4 打印队列", "A4 printer queue"),
    "dev.face_camera": ("人脸摄像头", "Face camera"),
    "dev.document_camera": ("高拍仪（材料拍摄）", "Document camera"),
    "dev.card_photo_decoder": ("身份证照片解码库（厂商授权）",
                               "ID-card photo decoder (vendor's licensed library)"),
    "dev.no_decoder": ("未配置身份证照片解码库：人证核验须联网由平台比对，断网时需要人脸核验的"
                       "事项不能在本机办理。",
                       "No ID-card photo decoder is configured: face checks need the platform, "
                       "and while offline the items that need one cannot be completed here."),
    "dev.decoder_set": ("已配置身份证照片解码库：断网时人脸与身份证照片在本机比对。",
                        "A photo decoder is configured: offline, faces are compared with the "
                        "ID card's photo on this terminal."),
    "dev.read": ("读卡测试", "Read a card"),
    "dev.slip": ("打印测试页", "Print a test slip"),
    "dev.status": ("查看状态", "Status"),
    "dev.place": ("请在 10 秒内放上一张证件…", "Place a card within 10 seconds…"),
    "dev.read_ok": ("读卡成功：{name}，{number}（已脱敏）",
                    "Card read: {name}, {number} (masked)"),
    "dev.read_none": ("10 秒内未放卡，阅读器应答正常（{baud} 波特）。",
                      "No card within 10 s; the reader answers ({baud} baud)."),
    "dev.sc_ok": ("读卡成功：{name}（已脱敏）", "Card read: {name} (masked)"),
    "dev.slip_ok": ("测试页已打印。", "Test slip printed."),
    "dev.slip_alert": ("测试页已打印；注意：{alert}", "Test slip printed; note: {alert}"),
    "dev.state": ("状态：{state} {detail}", "State: {state} {detail}"),
    # platform
    "plat.title": ("平台登记", "Platform enrolment"),
    "plat.current": ("当前：{kind} {device}，平台 {url}",
                     "Now: {kind} terminal {device} on {url}"),
    "plat.none": ("本终端尚未登记。", "This terminal is not enrolled."),
    "plat.url": ("平台地址", "Platform URL"),
    "plat.code": ("登记码（一次有效）", "Enrolment code (one use)"),
    "plat.kind": ("终端类型", "Terminal kind"),
    "plat.go": ("登记", "Enrol"),
    "plat.ok": ("登记成功：{device}", "Enrolled: {device}"),
    "plat.features": ("检查平台功能", "Check the platform's features"),
    "plat.features_all": ("平台提供全部扩展功能：{names}", "The platform offers every extension: "
                          "{names}"),
    "plat.features_missing": ("平台未提供：{missing}。本机照常工作，只是不使用这些功能。",
                              "The platform does not offer: {missing}. This terminal works "
                              "on without them."),
    "kind.kiosk": ("自助终端", "kiosk"),
    "kind.agent": ("代办终端", "agent"),
    # settings
    "set.title": ("配置", "Settings"),
    "set.hint": ("修改后重启应用生效。每个值保存前都会校验。",
                 "Changes apply after the app restarts. Each value is checked before it is "
                 "saved."),
    "set.saved": ("已保存 {setting} = {value}", "Saved {setting} = {value}"),
    "set.pin": ("新的维护密码（6–12 位数字）", "New technician PIN (6–12 digits)"),
    "set.pin_go": ("更改密码", "Change PIN"),
    "set.pin_ok": ("维护密码已更改。", "The technician PIN was changed."),
    # queue
    "q.title": ("队列（不显示个人信息）", "Queue (no personal data shown)"),
    "q.refresh": ("刷新", "Refresh"),
    "q.counts": ("待发送 {pending} · 重试等待 {retry} · 已发送 {sent} · 退回未处理 {dead}",
                 "Pending {pending} · retry wait {retry} · sent {sent} · returned, open {dead}"),
    "q.dead": ("{id} · HTTP {status} · {code} · 字段：{fields}",
               "{id} · HTTP {status} · {code} · fields: {fields}"),
    "q.none": ("没有退回的办件。", "No returned items."),
    # logs
    "log.title": ("日志（身份证号已脱敏）", "Log (ID numbers masked)"),
    "log.refresh": ("刷新", "Refresh"),
    "log.dest": ("导出到（如 U 盘目录）", "Export to (e.g. a USB stick's folder)"),
    "log.export": ("导出日志", "Export logs"),
    "log.exported": ("已导出：{file}", "Exported: {file}"),
    # leaving
    "leave.title": ("退出自助模式", "Leave kiosk mode"),
    "leave.explain": ("应用将退出，系统不会自动重新启动它，直到有人再次启动服务。",
                      "The app exits and the system does not start it again until someone "
                      "starts the service."),
    "leave.go": ("确认退出", "Leave now"),
}
