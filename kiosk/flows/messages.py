"""Every string a citizen sees, by key, in Simplified Chinese first and English.

One small catalogue instead of Qt Linguist files: the flow (Qt-free) needs the same texts
as the screens, the tests check that both languages are complete and that every
placeholder exists in both, and no sentence is ever assembled from pieces — a text with a
variable part has a named placeholder (``{number}``) filled by :func:`tr`.
"""

from __future__ import annotations

import string
from typing import Final

from civic.text import Text
from kiosk.flows.messages_ahead import AHEAD_MESSAGES

LANGUAGES: Final = ("zh", "en")

_M: dict[str, tuple[str, str]] = {
    # -- frame, status bar ---------------------------------------------------------------
    "app.title": ("政务服务自助终端", "Government self-service terminal"),
    "lang.switch": ("English", "中文"),
    "elder.on": ("长辈版", "Large text"),
    "elder.off": ("标准版", "Standard"),
    "nav.back": ("返回", "Back"),
    "nav.home": ("结束办理", "Finish"),
    "nav.next": ("下一步", "Next"),
    "status.online": ("网络正常", "Online"),
    "status.offline": ("网络中断：申请会先保存在本机，恢复后自动提交",
                       "Offline: applications are kept here and sent when the line is back"),
    "status.checking": ("正在检查网络…", "Checking the network…"),
    "status.busy": ("平台繁忙，稍后自动发送", "Platform busy; sending again shortly"),
    "status.paused": ("发送已暂停，请联系工作人员", "Sending paused; please tell staff"),
    "status.fault": ("本机存储故障，申请已保存，请联系工作人员",
                     "Storage fault; applications are kept; please tell staff"),
    "status.not_enrolled": ("本机未注册，申请先保存在本机",
                            "Terminal not registered; applications are kept here"),
    "status.queue": ("待发送 {count} 件", "{count} waiting to be sent"),
    "status.syncing": ("正在发送 {done}/{total}", "Sending {done}/{total}"),
    "status.printer_ok": ("打印机正常", "Printer ready"),
    "status.printer_near_end": ("回执纸将用完", "Receipt paper low"),
    "status.printer_out": ("打印机缺纸", "Printer out of paper"),
    "status.printer_off": ("打印机未连接", "Printer not connected"),
    "status.reader_ok": ("读卡器正常", "Card reader ready"),
    "status.reader_lost": ("读卡器未连接", "Card reader not connected"),
    "speak.repeat": ("朗读", "Read aloud"),
    # -- attract ---------------------------------------------------------------------------
    "attract.prompt": ("请将身份证或社保卡放在读卡区",
                       "Place your ID card or social-security card on the reader"),
    "attract.hint": ("24小时自助办理 · 无需排队 · 免交材料",
                     "Open 24 hours · no queue · fewer papers"),
    "attract.elder": ("长辈版（大字 + 语音）", "Large text and speech"),
    # -- identify / refused ----------------------------------------------------------------
    "identify.reading": ("正在读卡，请不要移动卡片…", "Reading your card, please keep it still…"),
    "refused.title": ("这张卡不能在此办理", "This card cannot be used here"),
    "refused.take": ("请取回卡片", "Please take your card"),
    "card.error": ("读卡失败，请将卡片重新放好", "The card could not be read; place it again"),
    # -- choose ----------------------------------------------------------------------------
    "choose.title": ("{name}，您好！请选择要办理的事项",
                     "Hello {name}, what would you like to do?"),
    "choose.popular": ("常办事项", "Common"),
    "choose.departments": ("按部门", "By department"),
    "choose.life_events": ("按人生事件", "By life event"),
    "choose.bundles": ("一件事", "One thing"),
    "choose.search": ("搜索事项（汉字或拼音）", "Search (Chinese or pinyin)"),
    "choose.search_button": ("搜索", "Search"),
    "choose.no_hits": ("没有找到相关事项，请换个说法", "Nothing found; try other words"),
    "choose.more": ("更多", "More"),
    # -- item --------------------------------------------------------------------------------
    "item.department": ("办理部门：{name}", "Department: {name}"),
    "item.days": ("承诺时限：{days}个工作日", "Time limit: {days} working days"),
    "item.days_now": ("承诺时限：即办", "Time limit: done at once"),
    "item.fee_free": ("收费：不收费", "Fee: free"),
    "item.fee": ("收费：{amount}元", "Fee: CNY {amount}"),
    "item.materials": ("所需材料", "Materials"),
    "item.exempt": ("无需提交（已通过数据共享获取）",
                    "No need to bring (shared by the government)"),
    "item.bring": ("需要提供", "Please provide"),
    "item.no_materials": ("无需提交材料", "No materials needed"),
    "item.start": ("开始办理", "Start"),
    "item.start_print": ("查询并打印", "Look up and print"),
    "agent.title": ("此事项需到窗口办理", "This is done at a service hall"),
    "agent.where": ("办理地点：{hall}", "Where: {hall}"),
    "agent.steps": ("办理方式：{steps}", "How: {steps}"),
    "agent.why": ("原因：{why}", "Why: {why}"),
    "agent.helper": ("村（社区）代办员可以为您代办，请联系村委会。",
                     "Your village agent can do it for you; ask at the village committee."),
    # -- consent ---------------------------------------------------------------------------
    "consent.title": ("授权使用您的共享数据", "Allow the use of your shared data"),
    "consent.body": ("为减少您填写和提交的材料，本终端将向政务平台查询以下信息，仅用于本次办理，"
                     "办理结束后立即清除：",
                     "To save you filling in forms and bringing papers, this terminal will ask "
                     "the government platform for the following, for this application only, "
                     "and erase it when you finish:"),
    "consent.agree": ("同意授权", "I agree"),
    "consent.decline": ("不同意，我自己填写", "No, I will fill it in myself"),
    "consent.needed": ("查询打印需要您的授权才能查到记录",
                       "Looking up your records needs your consent"),
    # -- form ------------------------------------------------------------------------------
    "form.title": ("请核对并填写", "Please check and fill in"),
    "form.prefilled_card": ("来自证件", "From your card"),
    "form.prefilled_shared": ("来自共享数据", "From shared data"),
    "form.loading": ("正在查询您的共享数据…", "Fetching your shared data…"),
    "form.prefill_failed": ("暂时查不到共享数据，请手动填写", "Shared data is not available now; "
                            "please fill in by hand"),
    # why there is no shared data this time (kiosk.flows.form.SHARED_DATA_NOTICES)
    "form.shared_offline": ("网络中断，本次无法使用共享数据，请手动填写",
                            "No connection: your shared data cannot be used this time; please "
                            "fill in by hand"),
    "form.shared_rate_limited": ("本机近期查询共享数据次数已达上限，本次无法使用，请手动填写",
                                 "This terminal has reached its limit for looking up shared "
                                 "data; please fill in by hand this time"),
    "form.shared_session_ended": ("共享数据的使用已结束（证件已取走或授权已过期），请手动填写",
                                  "The use of your shared data has ended (the card was taken "
                                  "away or the permission expired); please fill in by hand"),
    "form.shared_outside_area": ("此居民不属于您的服务片区，不能查询其共享数据，请手动填写",
                                 "This resident is not in your service area: their shared "
                                 "data cannot be read; please fill in by hand"),
    "form.yes": ("是", "Yes"),
    "form.no": ("否", "No"),
    "form.required": ("必填", "required"),
    "form.fix": ("有 {count} 处需要修改，请看红色提示",
                 "{count} answers need a change: see the red notes"),
    "form.take_photo": ("拍摄材料", "Photograph the document"),
    "form.photo_taken": ("已拍摄", "Photographed"),
    "form.review": ("下一步：核对", "Next: check"),
    "form.date_hint": ("年-月-日，例如 2026-01-31", "YYYY-MM-DD, e.g. 2026-01-31"),
    # -- face check (kiosk.flows.face_steps, kiosk.ui.screens.face_check) --------------------
    "face.title": ("核验本人", "Check that it is you"),
    "face.body": ("此事项需要核验持卡人本人。请摘下帽子和眼镜，正对摄像头，按提示转头。"
                  "照片只用于本次核验，不会保存。",
                  "This matter needs a check that you are the card's holder. Please take off "
                  "hat and glasses, face the camera and turn your head when asked. The picture "
                  "is used for this check only and is not kept."),
    "face.start": ("开始核验", "Start the check"),
    "face.straight": ("请正对摄像头，保持不动",
                      "Please look straight at the camera and keep still"),
    "face.turn_left": ("请慢慢向左转头", "Please turn your head slowly to your left"),
    "face.turn_right": ("请慢慢向右转头", "Please turn your head slowly to your right"),
    "face.nod": ("请慢慢点头", "Please nod slowly"),
    "face.capturing": ("正在拍摄…", "Taking the picture…"),
    "face.comparing": ("正在比对，请稍候…", "Comparing, please wait…"),
    "face.starting": ("正在准备摄像头和比对程序…", "Preparing the camera and the check…"),
    "face.pending": ("正在连接政务平台…", "Connecting to the platform…"),
    "face.look": ("没有看到您的脸，请正对摄像头",
                  "Your face cannot be seen: please look at the camera"),
    "face.closer": ("请再靠近一点", "Please come a little closer"),
    "face.one_person": ("请只让办理人一人面对摄像头",
                        "Only the applicant should face the camera, please"),
    "face.again": ("刚才没有完成，请再试一次", "That did not work; please try once more"),
    "face.no_match": ("未能确认是持卡人本人，还可再试 {count} 次",
                      "We could not confirm you are the card's holder; {count} tries left"),
    "face.retry": ("再试一次", "Try again"),
    "face.cannot": ("我做不到", "I cannot do this"),
    "face.refused_title": ("本机无法核验您的身份", "We cannot check who you are here"),
    "face.refused_failed": ("三次核验均未通过。请携带身份证到政务服务大厅的人工窗口办理，"
                            "工作人员会帮助您。",
                            "The check did not succeed three times. Please take your ID card "
                            "to a staffed window of the service hall; a clerk will help you."),
    "face.refused_cannot": ("没关系。请携带身份证到政务服务大厅的人工窗口办理，工作人员会帮助您。",
                            "That is all right. Please take your ID card to a staffed window of "
                            "the service hall; a clerk will help you."),
    "face.not_here_title": ("此事项不能在本机办理", "This matter cannot be completed here"),
    "face.not_here_declined": ("此事项需要核验本人，核验须使用政务平台的数据。您未同意授权，"
                               "请到政务服务大厅的人工窗口办理，或返回重新选择。",
                               "This matter needs a check that you are the card's holder, which "
                               "uses the platform's data. Without your consent it cannot be done "
                               "here: please go to a staffed window of the service hall, or go "
                               "back and agree."),
    "face.not_here_offline": ("网络中断，本机现在无法核验本人。请稍后再来，"
                              "或到政务服务大厅的人工窗口办理。",
                              "The line is down, so this terminal cannot check who you are now. "
                              "Please come back later or go to a staffed window of the service "
                              "hall."),
    "face.no_camera": ("本机的摄像头现在无法使用，不能核验本人。请到政务服务大厅的人工窗口办理，"
                       "并告诉工作人员这台机器的摄像头有故障。",
                       "This terminal's camera cannot be used now, so it cannot check who you "
                       "are. Please go to a staffed window of the service hall, and tell the "
                       "staff that this terminal's camera is faulty."),
    "face.agent_title": ("代办员确认本人", "The agent confirms the person"),
    "face.agent_body": ("请确认：您已当面见到申请人本人，并核对了其身份证上的照片和信息。",
                        "Please confirm that you have seen the applicant in person and checked "
                        "them against the photo and details on their ID card."),
    "face.agent_confirm": ("我已当面核对本人和身份证", "I have seen the person and their ID card"),
    "face.guide": ("摄像头画面，请把脸放在椭圆框内",
                   "Camera picture: place your face inside the oval"),
    "face.picture": ("示意图：{what}", "Picture: {what}"),
    "face.progress": ("核验进度", "Progress of the check"),
    "face.finish": ("结束办理", "Finish"),
    # -- camera ----------------------------------------------------------------------------
    "camera.title": ("请将材料平放在拍摄区", "Lay the document flat under the camera"),
    "camera.shoot": ("拍照", "Take picture"),
    "camera.retake": ("重拍", "Retake"),
    "camera.use": ("使用这张", "Use this picture"),
    "camera.demo": ("演示：未连接高拍仪，使用示例图片", "Demo: no document camera, using a sample"),
    "camera.missing": ("本机设置的高拍仪未连接，暂时无法拍摄材料，请联系工作人员",
                       "The document camera set up for this terminal is not connected, so "
                       "documents cannot be photographed now; please ask staff"),
    # -- review / sign -----------------------------------------------------------------------
    "review.title": ("请核对您的申请", "Please check your application"),
    "review.edit": ("修改", "Change"),
    "review.confirm": ("确认无误，去签名", "Correct, go to signing"),
    "review.confirm_print": ("确认无误，生成证明", "Correct, make the proof"),
    "sign.title": ("请在框内签名", "Please sign in the box"),
    "sign.clear": ("重签", "Clear"),
    "sign.submit": ("确认提交", "Submit"),
    "sign.empty": ("请先签名", "Please sign first"),
    "sign.keypad": ("无法签名，按键确认", "Cannot sign: confirm by key"),
    "sign.keypad_hint": ("不方便手写签名的，可以选择“无法签名，按键确认”提交",
                         "If you cannot sign, choose “Cannot sign: confirm by key” to submit"),
    "sign.pad": ("签名框", "Signature box"),
    # -- submit / receipt --------------------------------------------------------------------
    "submit.saving": ("正在保存并提交您的申请…", "Saving and sending your application…"),
    "receipt.title_online": ("申请已受理", "Application received"),
    "receipt.title_offline": ("申请已保存，等待发送", "Application saved, waiting to be sent"),
    "receipt.case": ("受理编号：{number}", "Case number: {number}"),
    "receipt.local": ("本地回执号：{number}", "Local receipt number: {number}"),
    "receipt.offline_explain": (
        "网络暂时中断。您的申请已安全保存在本机，网络恢复后会自动提交（通常在恢复后几分钟内），"
        "无需再来。扫描回执上的二维码可查询进度。",
        "The network is down at the moment. Your application is safely stored on this "
        "terminal and will be sent automatically when the line is back (usually within a "
        "few minutes); you need not come again. Scan the QR code on the slip to follow it."),
    "receipt.printing": ("正在打印回执…", "Printing your receipt…"),
    "receipt.printed": ("回执已打印，请取走", "Your receipt is printed; please take it"),
    "receipt.print_failed": ("回执未能打印：{reason}。您的申请已保存，不会丢失；"
                             "请记下屏幕上的编号或联系工作人员。",
                             "The receipt could not be printed: {reason}. Your application is "
                             "saved and will not be lost; note the number on screen or ask "
                             "staff."),
    "receipt.reprint": ("重新打印", "Print again"),
    "receipt.done": ("完成", "Done"),
    "receipt.preview": ("回执预览，与打印的回执相同", "The receipt as printed"),
    "proof.preview": ("证明预览，与打印的证明相同", "The proof as printed"),
    "camera.preview": ("拍摄的画面", "What the camera sees"),
    # -- the printed slip (kiosk.receipts; same layout in both languages) ---------------------
    "slip.title_online": ("受理回执", "RECEIPT"),
    "slip.title_offline": ("提交回执", "SUBMITTED"),
    "slip.item": ("办理事项", "Service"),
    "slip.case": ("受理编号", "Case no."),
    "slip.local": ("本地回执号", "Local receipt"),
    "slip.offline_note": ("网络恢复后自动提交，受理编号届时可扫码查询。",
                          "Stored on this terminal; it is sent automatically when the "
                          "network is back. Scan the code then for the case number."),
    "slip.submitted": ("提交时间", "Submitted"),
    "slip.applicant": ("申请人", "Applicant"),
    "slip.id_number": ("证件号码", "ID number"),
    "slip.next": ("后续事项", "What happens next"),
    "slip.next_days": ("承诺{days}个工作日内办结，结果将短信通知。",
                       "Decided within {days} working days; the result comes by SMS."),
    "slip.next_now": ("即办事项，结果将短信通知。", "Decided at once; the result comes by SMS."),
    "slip.scan": ("扫码查询办理进度", "Scan to follow your application"),
    "slip.keep": ("请妥善保管本回执", "Please keep this receipt"),
    "proof.title": ("证明预览", "Proof preview"),
    "proof.print": ("打印证明", "Print the proof"),
    "proof.making": ("正在生成证明…", "Making the proof…"),
    "proof.printing": ("正在打印证明…", "Printing the proof…"),
    "proof.printed": ("证明已打印，请取走", "The proof is printed; please take it"),
    "proof.failed": ("证明未能打印：{reason}", "The proof could not be printed: {reason}"),
    "proof.offline": ("网络中断，暂时无法查询，请稍后再试",
                      "Offline: records cannot be looked up now; please try later"),
    # Without a verified record the terminal prints no proof (platform-api.md).
    "proof.fetching": ("正在向政务平台查询并核验记录…",
                       "Asking the platform for your record and checking it…"),
    "proof.uncertified": ("政务平台现在无法出具这份证明，本机不能打印。下方是本机读到的信息；"
                          "请稍后再试，或到服务窗口办理。",
                          "The platform cannot certify this record now, so nothing can be "
                          "printed here. What could be read is shown below; please try "
                          "later or ask at a service window."),
    "proof.no_session": ("查询授权已结束，本机不能打印证明。请重新放卡并同意授权后再试。",
                         "The permission to look this up has ended, so no proof can be "
                         "printed. Please place your card again and agree to try again."),
    "proof.no_record": ("政务平台没有您这项记录，本机不能打印证明。如有疑问请到服务窗口咨询。",
                        "The platform holds no such record for you, so no proof can be "
                        "printed. Please ask at a service window if this seems wrong."),
    "proof.refused": ("这份记录未通过真伪核验，为保护您的权益本机不予打印（{why}）。"
                      "请到服务窗口办理，或拨打12345反映。",
                      "This record failed its authenticity check, so it is not printed, "
                      "to protect you ({why}). Please ask at a service window or call 12345."),
    "proof.why.bad_signature": ("记录内容与平台签名不符", "its content does not match the "
                                "platform's signature"),
    "proof.why.unknown_key": ("签名密钥不是平台公布的密钥", "it was signed with a key the "
                              "platform does not publish"),
    "proof.why.expired_key": ("签名密钥已过期", "its signing key has expired"),
    "proof.why.expired_record": ("记录已过有效期", "the record is past its validity"),
    "proof.why.malformed": ("记录格式不完整", "the record is incomplete"),
    "record.title": ("核验记录", "CERTIFIED RECORD"),
    "record.holder": ("持有人", "Holder"),
    "record.id_number": ("证件号码", "ID number"),
    "record.issued": ("出具时间", "Issued"),
    "record.valid_until": ("有效期至", "Valid until"),
    "record.id": ("记录编号", "Record no."),
    "record.code": ("验证码", "Verification code"),
    "record.scan": ("扫码核验真伪", "Scan to check it is genuine"),
    # -- video help from a clerk -------------------------------------------------------------
    "assist.call": ("视频求助", "Video help"),
    "assist.call_waiting": ("视频求助（{count} 人等候）", "Video help ({count} waiting)"),
    "assist.off_duty": ("视频客服时间：{hours}", "Video help hours: {hours}"),
    "assist.title": ("视频连线工作人员", "Video call with a clerk"),
    "assist.confirm": ("将打开摄像头和麦克风，与服务大厅的工作人员视频通话。通话不录音、不录像。"
                       "是否开始？",
                       "The camera and microphone will start for a video call with a clerk "
                       "of the service hall. Nothing is recorded. Start the call?"),
    "assist.start": ("开始通话", "Start the call"),
    "assist.cancel": ("取消", "Cancel"),
    "assist.starting": ("正在打开摄像头，准备通话…", "Starting the camera…"),
    "assist.waiting": ("正在为您接通工作人员，前面还有 {count} 人",
                       "Connecting you to a clerk; {count} ahead of you"),
    "assist.waiting_next": ("正在为您接通工作人员，您是下一位",
                            "Connecting you to a clerk; you are next"),
    "assist.on_call": ("通话中", "On a call"),
    "assist.on_call_with": ("正在与 {name} 通话", "On a call with {name}"),
    "assist.hang_up": ("挂断", "Hang up"),
    "assist.clerk_video": ("工作人员的视频", "The clerk's video"),
    "assist.own_video": ("您自己的画面", "Your own picture"),
    "assist.chat": ("文字消息", "Messages"),
    "assist.chat_text": ("输入文字发给工作人员", "Type a message to the clerk"),
    "assist.chat_send": ("发送", "Send"),
    "assist.from_clerk": ("工作人员：{text}", "Clerk: {text}"),
    "assist.from_me": ("我：{text}", "Me: {text}"),
    "assist.ask_document": ("工作人员请您出示材料。是否打开高拍仪拍摄？",
                            "The clerk asks to see a document. Open the document camera?"),
    "assist.show_document": ("拍摄材料", "Photograph it"),
    "assist.send_picture": ("是否把这张照片发给工作人员？只有点“发送”才会发出。",
                            "Send this picture to the clerk? It is sent only if you tap Send."),
    "assist.send": ("发送", "Send"),
    "assist.dont_send": ("不发送", "Don't send"),
    "assist.no": ("不用了", "No, thanks"),
    "assist.suggest": ("工作人员建议您办理：{name}。是否打开？", "The clerk suggests: {name}. "
                       "Open it?"),
    "assist.suggest_drop": ("打开后，当前未提交的填写内容将清除。",
                            "What you have filled in and not submitted will be cleared."),
    "assist.open_item": ("打开事项", "Open it"),
    "assist.ended": ("通话已结束", "The call has ended"),
    "assist.ended_by_clerk": ("工作人员已结束通话", "The clerk ended the call"),
    "assist.no_answer": ("暂时没有工作人员接听，请稍后再试，或前往服务大厅办理",
                         "No clerk could answer; please try again later or visit a hall"),
    "assist.no_clerks": ("现在没有工作人员在岗。视频客服时间：{hours}",
                         "No clerk is on duty now. Video help hours: {hours}"),
    "assist.network_lost": ("网络中断，通话已结束。您可以继续办理，稍后再呼叫",
                            "The network dropped and the call ended. You can carry on and "
                            "call again later"),
    "assist.media_failed": ("本机摄像头或通话组件出现故障，无法通话。请稍后再试或联系工作人员",
                            "The camera or the call failed on this terminal. Please try again "
                            "later or ask staff"),
    "assist.platform_failed": ("暂时无法接通视频客服，请稍后再试",
                               "Video help cannot be reached now; please try again later"),
    "assist.back": ("返回办理", "Back to my application"),
    # -- goodbye / idle / error ----------------------------------------------------------------
    "goodbye.title": ("办理完成", "All done"),
    "goodbye.take": ("请取走您的卡片和回执", "Please take your card and your receipt"),
    "idle.title": ("您还在吗？", "Are you still there?"),
    "idle.countdown": ("{seconds} 秒后将退出并清除您的信息", "In {seconds} s this session ends and "
                       "your data is erased"),
    "idle.continue": ("继续办理", "Continue"),
    "error.title": ("抱歉，系统出了点问题", "Sorry, something went wrong"),
    "error.body": ("您的信息已清除。请重新放卡办理，或联系工作人员。",
                   "Your data has been erased. Please place your card again or ask staff."),
    "error.restart": ("重新开始", "Start again"),
    "keypad.ok": ("确定", "OK"),
    "keypad.clear": ("清除", "Clear"),
}

_M.update(AHEAD_MESSAGES)       # "For you", halls and booking (kiosk.flows.messages_ahead)
MESSAGES: Final[dict[str, Text]] = {key: Text(zh, en) for key, (zh, en) in _M.items()}


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def tr(key: str, language: str, **values: object) -> str:
    """The message ``key`` in ``language`` with its placeholders filled."""
    text = MESSAGES[key].get(language)
    return text.format(**values) if values else text


def card_failure(error: object) -> Text:
    """What a citizen reads when a card could not be read: the device's own words when it
    has them (a reader's ``user_message``), else the one general message. Every mode uses
    this, so the kiosk and the agent's laptop say the same thing."""
    words = getattr(error, "user_message", None)
    if isinstance(words, dict) and {"zh", "en"} <= words.keys():
        return Text(str(words["zh"]), str(words["en"]))
    return MESSAGES["card.error"]
