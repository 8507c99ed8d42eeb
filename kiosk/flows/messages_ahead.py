"""The citizen's words for "thinking ahead" (issue 19): "For you", the halls, booking and
the appointment slip, zh and en. Merged into ``kiosk.flows.messages.MESSAGES`` (one
catalogue, the same completeness checks); kept apart so the feature's texts read together.
"""

from __future__ import annotations

from typing import Final

AHEAD_MESSAGES: Final[dict[str, tuple[str, str]]] = {
    # -- "For you" on the choose screen ---------------------------------------------------
    "choose.for_you": ("为您推荐", "For you"),
    "foryou.ask_title": ("为您推荐：您现在可以办理的事项", "For you: what you can apply for now"),
    "foryou.ask_body": ("需要您同意：本机将在本次办理中向平台读取您的共享数据，"
                        "找出您现在可以办理的事项。您离开后本机不保留任何内容。",
                        "With your consent, this terminal asks the platform, for this visit only, "
                        "which items your shared data makes you eligible for now. Nothing is "
                        "kept here after you leave."),
    "foryou.ask_button": ("同意并查看", "Agree and show"),
    "foryou.loading": ("正在查询您可以办理的事项…", "Finding what you can apply for…"),
    "foryou.none": ("目前没有需要您办理的事项。您也可以在常办事项中选择。",
                    "Nothing is due for you now. You can still choose from the common items."),
    "foryou.offline": ("“为您推荐”需要联网，现在网络不通。您仍可以自己选择事项办理。",
                       "\"For you\" needs the network, which is down now. You can still "
                       "choose an item yourself."),
    "foryou.unavailable": ("暂时无法为您查询可办事项。您仍可以自己选择事项办理。",
                           "What you can apply for cannot be looked up now. You can still "
                           "choose an item yourself."),
    "foryou.due": ("请于 {date} 前办理", "Due by {date}"),
    "foryou.intro": ("为您推荐以下事项", "Suggested for you"),
    # -- where to go: the halls -----------------------------------------------------------
    "halls.find": ("查看服务大厅并预约", "Find a hall and book"),
    "halls.title": ("可办理此事项的服务大厅", "Service halls for this item"),
    "halls.sorted": ("按预计等候时间排序", "Shortest expected wait first"),
    "halls.loading": ("正在查询各大厅的排队情况…", "Checking the halls' queues…"),
    "halls.none": ("没有找到办理此事项的服务大厅。", "No service hall handles this item."),
    "halls.offline": ("查询服务大厅需要联网，现在网络不通。请稍后再试。",
                      "Looking up the halls needs the network, which is down now. Please try "
                      "again later."),
    "halls.failed": ("暂时无法查询服务大厅，请稍后再试。",
                     "The halls cannot be looked up now; please try again later."),
    "halls.open": ("正在办公", "Open now"),
    "halls.closed": ("现已下班", "Closed now"),
    "halls.queue": ("排队 {waiting} 人 · 平均等候 {minutes} 分钟",
                    "{waiting} waiting · average wait {minutes} min"),
    "halls.hours": ("办公时间：{hours}", "Hours: {hours}"),
    "halls.address": ("地址：{address}", "Address: {address}"),
    "halls.stale": ("排队数据为 {minutes} 分钟前（{time}）的，可能已有变化",
                    "Queue figures from {minutes} min ago ({time}); they may have changed"),
    "halls.book": ("预约", "Book"),
    "halls.slots_title": ("{hall}：可预约时段", "{hall}: free times"),
    "halls.day": ("日期：{date}（{weekday}）", "Day: {date} ({weekday})"),
    "halls.slots_loading": ("正在查询可预约时段…", "Finding free times…"),
    "halls.no_slots": ("这一天没有可预约的时段，请换一天。", "No free time on this day; try "
                       "another day."),
    "halls.no_day": ("近期没有可预约的日子，请直接前往大厅。",
                     "No bookable day soon; please go to the hall."),
    "halls.slot": ("{start}–{end}（余 {free} 个）", "{start}–{end} ({free} free)"),
    "halls.slot_taken": ("{start}–{end}（已约满）", "{start}–{end} (full)"),
    "halls.prev_day": ("前一天", "Day before"),
    "halls.next_day": ("后一天", "Day after"),
    "halls.other_halls": ("换个大厅", "Other halls"),
    "halls.confirm_title": ("请确认预约", "Please confirm your booking"),
    "halls.item": ("事项：{item}", "Service: {item}"),
    "halls.hall": ("大厅：{hall}", "Hall: {hall}"),
    "halls.when": ("时间：{date}（{weekday}）{start}–{end}",
                   "Time: {date} ({weekday}) {start}–{end}"),
    "halls.confirm": ("确认预约", "Confirm booking"),
    "halls.other_time": ("换个时间", "Other times"),
    "halls.booking": ("正在预约…", "Booking…"),
    "halls.booked_title": ("预约成功", "You are booked"),
    "halls.existing_title": ("您已有此事项的预约", "You already have a booking for this item"),
    "halls.ticket": ("预约号：{ticket}", "Ticket: {ticket}"),
    "halls.cancel": ("取消预约", "Cancel booking"),
    "halls.cancelling": ("正在取消预约…", "Cancelling the booking…"),
    "halls.cancelled": ("预约已取消。", "The booking is cancelled."),
    "halls.slot_full": ("这个时段刚刚约满了，请另选一个时段。",
                        "That time has just filled up; please choose another."),
    "halls.already_booked": ("您已预约过此事项（见下方）。如需改约，请先取消原预约。",
                             "You already have a booking for this item (below). To change "
                             "it, cancel it first."),
    "halls.book_offline": ("预约需要联网，现在网络不通。请稍后再试，或直接前往大厅。",
                           "Booking needs the network, which is down now. Please try again "
                           "later, or go to the hall."),
    "halls.book_failed": ("预约没有成功，请稍后再试。", "The booking did not go through; please "
                          "try again later."),
    "halls.no_card": ("预约需要您的卡片：请将卡片放回读卡区后再试。",
                      "Booking needs your card: put it back on the reader and try again."),
    "halls.cancel_failed": ("取消没有成功，请稍后再试。", "The booking could not be cancelled; "
                            "please try again later."),
    "halls.printing": ("正在打印预约单…", "Printing your appointment slip…"),
    "halls.printed": ("预约单已打印，请取走。", "Your appointment slip is printed; please "
                      "take it."),
    "halls.print_failed": ("预约单没有打印出来：{reason}。预约仍然有效，请记下预约号。",
                           "The slip could not be printed: {reason}. The booking stands; "
                           "please note the ticket."),
    "halls.reprint": ("重新打印", "Print again"),
    "halls.slip": ("预约单", "Appointment slip"),
    # -- the appointment slip -------------------------------------------------------------
    "appt.title": ("预约单", "APPOINTMENT"),
    "appt.item": ("办理事项", "Service"),
    "appt.hall": ("服务大厅", "Hall"),
    "appt.address": ("地址", "Address"),
    "appt.date": ("预约日期", "Date"),
    "appt.time": ("预约时段", "Time"),
    "appt.ticket": ("预约号", "Ticket"),
    "appt.bring": ("请按时携带身份证到大厅，凭预约号办理。",
                   "Come on time with your ID card and show this ticket at the hall."),
    "appt.scan": ("扫码核验预约", "Scan to verify the booking"),
    "appt.keep": ("请妥善保管本预约单", "Please keep this slip"),
}

#: weekday names (Monday first) for the day of a booking
WEEKDAYS: Final = {"zh": ("周一", "周二", "周三", "周四", "周五", "周六", "周日"),
                   "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")}
