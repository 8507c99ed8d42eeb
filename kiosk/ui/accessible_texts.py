"""What each control is for, in words (zh first, en): the accessible descriptions that AT-SPI
readers (Orca, switch access) show and that spoken focus reads after a control's name.

Keyed by a control's ``role`` (the property :func:`kiosk.ui.widgets.touch_button` sets and
tests find buttons by); a role that means different things on different screens ("next":
a page of choices, or the form's check) is keyed ``"<step>.<role>"`` for the screen that
differs. Names are the controls' own visible texts; :data:`NAMES` holds the few whose text
is a symbol (◀ ▶ ⌫) that a screen reader would read as punctuation.
"""

from __future__ import annotations

DESCRIPTIONS: dict[str, tuple[str, str]] = {
    # the bars of every window
    "language": ("切换界面语言", "Switch the language of the screens"),
    "elder": ("切换长辈版：大字、大按钮、语音提示", "Switch elder mode: large text, large "
              "buttons, spoken prompts"),
    "sign_out": ("退出代办员登录", "Sign the agent out"),
    "exit": ("离开技术人员模式", "Leave technician mode"),
    "assist": ("与服务大厅的工作人员视频通话，请他帮您办理", "Call a clerk of the service hall "
               "over video for help"),
    # a video call with a clerk (kiosk.ui.call_panel)
    "assist_start": ("打开摄像头和麦克风，开始视频通话", "Start the camera and microphone and "
                     "call"),
    "assist_cancel": ("不通话，回到办理页面", "Do not call; back to the screen"),
    "assist_yes": ("同意工作人员的请求", "Do what the clerk asks"),
    "assist_no": ("不同意，继续通话", "Decline and stay on the call"),
    "chat_send": ("把输入的文字发给工作人员", "Send the typed message to the clerk"),
    "hang_up": ("结束视频通话", "End the video call"),
    "assist_back": ("关闭通话窗口，继续办理", "Close the call panel and carry on"),
    # the citizen's screens
    "back": ("返回上一步", "Go back one step"),
    "start": ("开始办理这个事项", "Start this application"),
    "decline": ("不授权查询，自己填写表单", "Do not share data; fill in the form yourself"),
    "agree": ("授权查询共享数据，自动填写表单", "Let the shared data fill in the form"),
    "form.next": ("检查填写内容，进入核对页面", "Check the answers and go on to review them"),
    "confirm": ("内容无误，进入确认提交", "The answers are right; go on to confirm"),
    "clear": ("清除签名，重新签", "Clear the signature and sign again"),
    "submit": ("提交框内的手写签名", "Submit with the signature drawn in the box"),
    "keypad_confirm": ("不能签名时，按此键确认并提交申请，不需要手写签名",
                       "If you cannot sign, press this to confirm and submit without a "
                       "drawn signature"),
    "face_cannot": ("做不到转头或看不清时按此键：本机结束核验，并告诉您到哪里有人帮助",
                    "If you cannot turn your head or see the screen, press this: the check "
                    "ends and you are told where a person can help"),
    "face_retry": ("重新拍摄并再核验一次", "Take the picture again and check once more"),
    "face_attest": ("代办员确认已当面核对申请人和身份证，继续填写表单",
                    "The agent confirms having seen the applicant and their ID card, and goes "
                    "on to the form"),
    "face_finish": ("结束办理，请取回卡片", "Finish here; please take your card"),
    "reprint": ("重新打印回执", "Print the receipt again"),
    "done": ("结束办理，返回首页", "Finish and return to the start"),
    "finish": ("结束办理，返回首页", "Finish and return to the start"),
    "restart": ("重新开始", "Start again"),
    "print": ("打印证明", "Print the proof"),
    "search": ("按输入的文字搜索事项", "Search the services for the words typed"),
    "search_field": ("输入事项名称、拼音或首字母", "Type a service's name, pinyin or initials"),
    "prev": ("显示上一页事项", "Show the previous page of choices"),
    "next": ("显示下一页事项", "Show the next page of choices"),
    "up": ("返回事项分类", "Back to the groups of services"),
    "mode_popular": ("显示常用事项", "Show the services most used"),
    "mode_departments": ("按部门查找事项", "Find a service by department"),
    "mode_life_events": ("按人生大事查找事项", "Find a service by life event"),
    "mode_bundles": ("一件事一次办", "Several services done as one"),
    "item": ("选择这个事项", "Choose this service"),
    "group": ("打开这一类事项", "Open this group of services"),
    "continue": ("继续办理，重新计时", "Continue; the time starts again"),
    # "For you", the halls and booking (issue 19)
    "mode_for_you": ("显示您现在可以办理的事项", "Show what you can apply for now"),
    "for_you_agree": ("同意本次读取您的共享数据，显示为您推荐的事项",
                      "Agree to read your shared data for this visit and show what you can "
                      "apply for"),
    "for_you_item": ("选择这个为您推荐的事项", "Choose this suggested service"),
    "find_halls": ("查看办理此事项的服务大厅、排队情况，并预约", "See the halls for this "
                   "service with their queues, and book a time"),
    "hall_book": ("查看这个大厅的可预约时段", "See this hall's free times"),
    "prev_day": ("查看前一天的时段", "Show the day before"),
    "next_day": ("查看后一天的时段", "Show the day after"),
    "slot": ("选择这个时段", "Choose this time"),
    "other_halls": ("回到大厅列表", "Back to the list of halls"),
    "other_times": ("换一个时段", "Choose another time"),
    "confirm_booking": ("确认预约这个时段，并打印预约单", "Book this time and print the "
                        "appointment slip"),
    "cancel_booking": ("取消这个预约", "Cancel this booking"),
    "reprint_slip": ("重新打印预约单", "Print the appointment slip again"),
    "halls_back": ("离开大厅列表，返回上一步", "Leave the halls and go back one step"),
    # the form's inputs (their name is the field's label)
    "field": ("填写此项", "Fill in this answer"),
    "field_required": ("必填项", "Required"),
    "field_readonly": ("已从证件或共享数据填好，不能修改", "Filled in from the card or shared "
                       "data; it cannot be changed"),
    "field_choice": ("选项", "A choice"),
    "field_photo": ("用高拍仪拍摄材料", "Photograph the document with the document camera"),
    "pad_key": ("数字键", "Number key"),
    "pad_ok": ("输入完成", "Finish typing the number"),
    # the camera
    "shoot": ("拍照", "Take the picture"),
    "retake": ("重新拍照", "Take the picture again"),
    "use": ("使用这张照片", "Use this picture"),
    "cancel": ("不拍照，返回表单", "Back to the form without a picture"),
}

NAMES: dict[str, tuple[str, str]] = {
    "prev": ("上一页", "Previous page"),
    "next": ("下一页", "Next page"),
    "⌫": ("删除", "Delete"),
    "X": ("字母X", "Letter X"),
    "-": ("横线", "Dash"),
}


def description(role: str, language: str, step: str = "") -> str:
    """What the control with ``role`` does, in ``language``; "" when there is no entry."""
    pair = DESCRIPTIONS.get(f"{step}.{role}") or DESCRIPTIONS.get(role)
    return "" if pair is None else pair[0 if language == "zh" else 1]


def symbol_name(key: str, language: str) -> str:
    """A spoken name for a control whose text is ``key`` or whose role is ``key``; "" when
    its text serves."""
    pair = NAMES.get(key)
    return "" if pair is None else pair[0 if language == "zh" else 1]


def joined(parts: list[str], language: str) -> str:
    """Parts of a description as one, with the language's own separator."""
    return ("；" if language == "zh" else "; ").join(p for p in parts if p)


def of_field(label: str, role: str, language: str) -> str:
    """The description of a control that answers the field ``label``."""
    return f"{label}{'：' if language == 'zh' else ': '}{description(role, language)}"
