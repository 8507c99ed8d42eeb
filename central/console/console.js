// The clerk's console for video help (platform-api.md, "Video help from a clerk").
//
// Plain JavaScript, no framework, nothing loaded from elsewhere (the page's CSP allows only
// this origin). The flow: sign in; poll the queue every few seconds (which is what keeps
// the clerk on duty); Accept takes a call's offer, answers it with the camera and
// microphone once ICE gathering is complete (no trickle ICE: the platform relays one
// answer), then long-polls the call so the console sees the citizen hang up. Messages
// travel on the "assist" data channel the terminal opened.
//
// Stable hooks for tests: the element ids in index.html, #call-status[data-state] (idle,
// connecting, connected, ended), and window.clerkConsole.stats().
"use strict";

(function () {
  const QUEUE_EVERY_MS = 3000;
  const REQUEST_LIMIT_MS = 10000;   // a request (beyond a long poll's wait) ends by then
  const LONG_POLL_S = 25;
  const GATHER_LIMIT_MS = 8000;     // past this, answer with the candidates gathered so far
  const DISCONNECTED_LIMIT_MS = 8000;  // a connection "disconnected" this long has ended
  const CHANNEL_LABEL = "assist";

  const TEXT = {
    zh: {
      title: "视频帮办坐席", signInHeading: "坐席登录", number: "工号", pin: "密码（PIN）",
      signIn: "登录", queueHeading: "等待中的来电",
      queueEmpty: "暂无来电。页面每隔几秒自动刷新。", callHeading: "通话",
      askDocument: "请群众出示材料", suggestPlaceholder: "事项编码", suggest: "推荐事项",
      hangUp: "挂断", snapshotAlt: "群众发来的材料照片", chatHeading: "文字消息",
      chatPlaceholder: "输入消息", send: "发送", accept: "接听",
      state_idle: "空闲，等待接听", state_connecting: "正在接通……",
      state_connected: "通话中", state_ended: "通话已结束",
      badCredentials: "工号或密码错误", tooMany: "尝试次数过多，请稍后再试",
      signInFailed: "登录失败，请检查网络后重试", signedInAs: "坐席：",
      kiosk: "自助终端", agent: "代办员终端", waited: "已等待", seconds: "秒",
      language: "语言", item: "事项",
      taken: "该来电已被其他坐席接听", ended: "该来电已结束",
      queueFailed: "无法刷新来电队列，正在重试", signedOut: "登录已过期，请重新登录",
      noCamera: "未能打开本机摄像头或麦克风，对方只能听到/看到部分内容",
      citizenHungUp: "群众已挂断", clerkHungUp: "您已挂断", mediaFailed: "网络连接中断，通话结束",
      askedDocument: "已请群众出示材料", suggested: "已向群众推荐事项：",
      snapshotArrived: "收到群众发来的材料照片", acceptFailed: "接听失败：",
      endedBy_no_answer: "无人接听，来电已结束", endedBy_replaced: "群众重新发起了来电",
      endedBy_timeout: "接通超时", endedBy_hung_up: "群众已挂断",
      endedBy_clerk_hung_up: "通话已挂断",
    },
    en: {
      title: "Video help desk", signInHeading: "Clerk sign-in", number: "Clerk number",
      pin: "PIN", signIn: "Sign in", queueHeading: "Waiting calls",
      queueEmpty: "No calls waiting. This list refreshes every few seconds.",
      callHeading: "Call", askDocument: "Ask to see a document",
      suggestPlaceholder: "Item code", suggest: "Suggest item", hangUp: "Hang up",
      snapshotAlt: "Document photo from the citizen", chatHeading: "Messages",
      chatPlaceholder: "Type a message", send: "Send", accept: "Accept",
      state_idle: "Idle, ready to answer", state_connecting: "Connecting…",
      state_connected: "In a call", state_ended: "Call ended",
      badCredentials: "Wrong clerk number or PIN",
      tooMany: "Too many attempts; please wait and try again",
      signInFailed: "Sign-in failed; check the network and try again",
      signedInAs: "Clerk: ", kiosk: "Kiosk", agent: "Agent terminal", waited: "waited",
      seconds: "s", language: "language", item: "item",
      taken: "Another clerk took this call", ended: "This call has ended",
      queueFailed: "Cannot refresh the queue; retrying",
      signedOut: "Your shift sign-in expired; please sign in again",
      noCamera: "Your camera or microphone could not be opened",
      citizenHungUp: "The citizen hung up", clerkHungUp: "You hung up",
      mediaFailed: "The connection was lost; the call ended",
      askedDocument: "Asked the citizen to show a document",
      suggested: "Suggested an item to the citizen: ",
      snapshotArrived: "A document photo arrived", acceptFailed: "Could not accept: ",
      endedBy_no_answer: "Nobody answered; the call ended",
      endedBy_replaced: "The citizen called again", endedBy_timeout: "Connecting timed out",
      endedBy_hung_up: "The citizen hung up", endedBy_clerk_hung_up: "The call was hung up",
    },
  };

  const $ = (id) => document.getElementById(id);
  const state = {
    lang: "zh", token: null, displayName: "", queueTimer: null,
    call: null,                 // {id, pc, stream, channel, ended}
  };
  const stats = {
    state: "idle", framesReceived: 0, answeredAtMs: null, firstFrameAtMs: null,
    messagesReceived: [], snapshots: 0,
  };

  function t(key) { return TEXT[state.lang][key] || TEXT.zh[key] || key; }

  function applyLanguage() {
    document.documentElement.lang = state.lang === "zh" ? "zh-CN" : "en";
    document.title = state.lang === "zh" ? "政务服务 · 视频帮办坐席" : "Video help desk";
    for (const el of document.querySelectorAll("[data-i18n]")) {
      el.textContent = t(el.dataset.i18n);
    }
    for (const el of document.querySelectorAll("[data-i18n-placeholder]")) {
      el.placeholder = t(el.dataset.i18nPlaceholder);
    }
    for (const el of document.querySelectorAll("[data-i18n-alt]")) {
      el.alt = t(el.dataset.i18nAlt);
    }
    $("lang").textContent = state.lang === "zh" ? "English" : "中文";
    $("who").textContent = state.token ? t("signedInAs") + state.displayName : "";
    setState(stats.state);
  }

  function api(method, path, body) {
    const headers = {};
    if (state.token) headers.Authorization = "Bearer " + state.token;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    // Every request ends: one stuck on a dead connection (a network blip) would otherwise
    // stop the queue's polling for good, and the clerk would look at a stale list.
    const abort = new AbortController();
    const wait = /[?&]wait=(\d+)/.exec(path);
    const timer = setTimeout(() => abort.abort(),
      (wait ? Number(wait[1]) * 1000 : 0) + REQUEST_LIMIT_MS);
    return fetch(path, {
      method, headers, cache: "no-store", signal: abort.signal,
      body: body === undefined ? undefined : JSON.stringify(body),
    }).then(async (response) => {
      let doc = null;
      const text = await response.text();
      if (text) { try { doc = JSON.parse(text); } catch (e) { doc = null; } }
      return { status: response.status, doc };
    }).finally(() => clearTimeout(timer));
  }

  // --- signing in ---------------------------------------------------------------------

  async function signIn(event) {
    event.preventDefault();
    const error = $("sign-in-error");
    error.hidden = true;
    $("sign-in").disabled = true;
    try {
      const answer = await api("POST", "/v1/clerks/sign-in",
        { clerk_number: $("number").value.trim(), pin: $("pin").value });
      if (answer.status === 200 && answer.doc) {
        state.token = answer.doc.clerk_token;
        state.displayName = answer.doc.display_name;
        $("pin").value = "";
        $("sign-in-view").hidden = true;
        $("desk-view").hidden = false;
        applyLanguage();
        pollQueue();
        return;
      }
      showSignInError(answer.status === 429 ? "tooMany"
        : answer.status === 401 ? "badCredentials" : "signInFailed");
    } catch (e) {
      showSignInError("signInFailed");
    } finally {
      $("sign-in").disabled = false;
    }
  }

  function showSignInError(key) {
    const error = $("sign-in-error");
    error.textContent = t(key);
    error.hidden = false;
  }

  function signOut(reasonKey) {
    state.token = null;
    clearTimeout(state.queueTimer);
    if (state.call) endCall("clerk_hung_up", false);
    $("desk-view").hidden = true;
    $("sign-in-view").hidden = false;
    applyLanguage();
    showSignInError(reasonKey);
  }

  // --- the queue ----------------------------------------------------------------------

  async function pollQueue() {
    clearTimeout(state.queueTimer);
    if (!state.token) return;
    try {
      const answer = await api("GET", "/v1/assist/queue");
      if (answer.status === 401) { signOut("signedOut"); return; }
      if (answer.status === 200 && answer.doc) {
        renderQueue(answer.doc.calls || []);
        $("queue-error").hidden = true;
      } else {
        $("queue-error").textContent = t("queueFailed");
        $("queue-error").hidden = false;
      }
    } catch (e) {
      $("queue-error").textContent = t("queueFailed");
      $("queue-error").hidden = false;
    }
    if (state.token) state.queueTimer = setTimeout(pollQueue, QUEUE_EVERY_MS);
  }

  function renderQueue(calls) {
    const list = $("queue");
    list.replaceChildren();
    $("queue-empty").hidden = calls.length > 0;
    for (const call of calls) {
      const item = document.createElement("li");
      item.dataset.callId = call.call_id;
      const site = document.createElement("span");
      site.className = "site";
      site.textContent = call.site_name;
      const meta = document.createElement("span");
      meta.className = "meta";
      meta.textContent = [
        t(call.device_kind === "agent" ? "agent" : "kiosk"),
        t("language") + " " + (call.language === "en" ? "English" : "中文"),
        call.item_code ? t("item") + " " + call.item_code : null,
        t("waited") + " " + call.waited_s + " " + t("seconds"),
      ].filter(Boolean).join(" · ");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "accept";
      button.textContent = t("accept");
      button.disabled = Boolean(state.call && !state.call.ended);
      button.addEventListener("click", () => accept(call.call_id));
      item.append(site, meta, button);
      list.append(item);
    }
  }

  // --- a call -------------------------------------------------------------------------

  function setState(name) {
    stats.state = name;
    const status = $("call-status");
    status.dataset.state = name;
    $("call-status-text").textContent = t("state_" + name);
    const live = name === "connecting" || name === "connected";
    $("hang-up").disabled = !live;
    for (const id of ["ask-document", "suggest-code", "suggest", "chat-text", "chat-send"]) {
      $(id).disabled = name !== "connected";
    }
    for (const button of document.querySelectorAll("#queue button.accept")) {
      button.disabled = live;
    }
  }

  function note(text) {
    const line = document.createElement("div");
    line.className = "msg note";
    line.textContent = text;
    $("chat-log").append(line);
    $("chat-log").scrollTop = $("chat-log").scrollHeight;
  }

  function chatLine(text, fromClerk) {
    const line = document.createElement("div");
    line.className = "msg " + (fromClerk ? "from-clerk" : "from-citizen");
    line.textContent = text;
    $("chat-log").append(line);
    $("chat-log").scrollTop = $("chat-log").scrollHeight;
  }

  async function accept(callId) {
    if (state.call && !state.call.ended) return;
    const answer = await api("POST", "/v1/assist/calls/" + encodeURIComponent(callId) + "/accept");
    if (answer.status !== 200 || !answer.doc) {
      const code = answer.doc && answer.doc.code;
      note(code === "taken" ? t("taken") : code === "ended" ? t("ended")
        : t("acceptFailed") + answer.status);
      pollQueue();
      return;
    }
    resetCallView();
    const call = { id: callId, pc: null, stream: null, channel: null, ended: false };
    state.call = call;
    setState("connecting");
    try {
      await connect(call, answer.doc.offer, answer.doc.ice_servers || []);
    } catch (e) {
      if (!call.ended) endCall("clerk_hung_up", true, "mediaFailed");
      return;
    }
    if (!call.ended) watchCall(call);
  }

  function resetCallView() {
    $("chat-log").replaceChildren();
    $("snapshot").hidden = true;
    $("snapshot").removeAttribute("src");
    stats.framesReceived = 0;
    stats.answeredAtMs = null;
    stats.firstFrameAtMs = null;
    stats.messagesReceived = [];
    stats.snapshots = 0;
  }

  async function connect(call, offer, iceServers) {
    const pc = new RTCPeerConnection({ iceServers });
    call.pc = pc;
    pc.ontrack = (event) => {
      const video = $("remote-video");
      const stream = event.streams[0] || new MediaStream([event.track]);
      if (video.srcObject !== stream) {
        video.srcObject = stream;
        countFrames(call, video);
      }
    };
    pc.ondatachannel = (event) => {
      if (event.channel.label === CHANNEL_LABEL) attachChannel(call, event.channel);
    };
    pc.onconnectionstatechange = () => {
      if (call.ended) return;
      clearTimeout(call.lostTimer);
      if (pc.connectionState === "connected") setState("connected");
      else if (pc.connectionState === "failed") endCall("clerk_hung_up", true, "mediaFailed");
      else if (pc.connectionState === "disconnected") {
        // The citizen's terminal stopped answering (its network dropped, it lost power):
        // the browser says "failed" only after ~30 s, and the terminal itself gives up
        // after 10 s of silence; the clerk should not sit in front of a frozen picture.
        call.lostTimer = setTimeout(() => {
          if (!call.ended && pc.connectionState !== "connected") {
            endCall("clerk_hung_up", true, "mediaFailed");
          }
        }, DISCONNECTED_LIMIT_MS);
      }
    };
    await pc.setRemoteDescription(offer);
    try {
      call.stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
      for (const track of call.stream.getTracks()) pc.addTrack(track, call.stream);
      $("local-video").srcObject = call.stream;
    } catch (e) {
      note(t("noCamera"));     // the clerk still sees, hears and writes to the citizen
    }
    if (call.ended) return;
    await pc.setLocalDescription(await pc.createAnswer());
    await gatheringComplete(pc);
    if (call.ended) return;
    const posted = await api("POST", "/v1/assist/calls/" + encodeURIComponent(call.id) + "/answer",
      { answer: { type: "answer", sdp: pc.localDescription.sdp } });
    stats.answeredAtMs = performance.now();
    if (posted.status !== 200) {
      const code = posted.doc && posted.doc.code;
      endCall(code === "ended" ? "hung_up" : "clerk_hung_up", code !== "ended",
        code === "ended" ? "citizenHungUp" : "mediaFailed");
    }
  }

  function gatheringComplete(pc) {
    if (pc.iceGatheringState === "complete") return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        if (pc.iceGatheringState !== "complete") return;
        pc.removeEventListener("icegatheringstatechange", done);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        pc.removeEventListener("icegatheringstatechange", done);
        resolve();
      }, GATHER_LIMIT_MS);
      pc.addEventListener("icegatheringstatechange", done);
    });
  }

  function countFrames(call, video) {
    if (typeof video.requestVideoFrameCallback !== "function") return;
    const onFrame = () => {
      if (call.ended || video.srcObject === null) return;
      stats.framesReceived += 1;
      if (stats.firstFrameAtMs === null) stats.firstFrameAtMs = performance.now();
      video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
  }

  function attachChannel(call, channel) {
    call.channel = channel;
    channel.onmessage = (event) => {
      if (typeof event.data !== "string") return;
      let message;
      try { message = JSON.parse(event.data); } catch (e) { return; }
      if (!message || typeof message !== "object") return;
      stats.messagesReceived.push(message);
      if (message.type === "chat" && typeof message.text === "string") {
        chatLine(message.text, false);
      } else if (message.type === "snapshot" && typeof message.data === "string") {
        const media = message.media_type === "image/png" ? "image/png" : "image/jpeg";
        $("snapshot").src = "data:" + media + ";base64," + message.data;
        $("snapshot").hidden = false;
        stats.snapshots += 1;
        note(t("snapshotArrived"));
      } else if (message.type === "bye") {
        endCall("hung_up", false, "citizenHungUp");
      }
    };
  }

  function send(message) {
    const channel = state.call && state.call.channel;
    if (!channel || channel.readyState !== "open") return false;
    channel.send(JSON.stringify(message));
    return true;
  }

  async function watchCall(call) {
    // The platform's long poll answers when the call changed; the console needs only its end.
    while (!call.ended && state.token) {
      let answer;
      try {
        answer = await api("GET", "/v1/assist/calls/" + encodeURIComponent(call.id) +
          "?wait=" + LONG_POLL_S);
      } catch (e) {
        await new Promise((resolve) => setTimeout(resolve, 2000));
        continue;
      }
      if (call.ended) return;
      if (answer.status === 200 && answer.doc && answer.doc.status === "ended") {
        const reason = answer.doc.ended_reason || "hung_up";
        endCall(reason, false, "endedBy_" + reason);
        return;
      }
      if (answer.status === 404) { endCall("hung_up", false, "ended"); return; }
      if (answer.status !== 200) await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }

  function endCall(reason, tellPlatform, noteKey) {
    const call = state.call;
    if (!call || call.ended) return;
    call.ended = true;
    if (tellPlatform) {
      send({ type: "bye" });
      api("DELETE", "/v1/assist/calls/" + encodeURIComponent(call.id)).catch(() => {});
    }
    clearTimeout(call.lostTimer);
    if (call.stream) for (const track of call.stream.getTracks()) track.stop();
    if (call.pc) {
      for (const sender of call.pc.getSenders()) if (sender.track) sender.track.stop();
      call.pc.close();
    }
    $("remote-video").srcObject = null;
    $("local-video").srcObject = null;
    if (noteKey) note(t(noteKey));
    setState("ended");
    pollQueue();
  }

  // --- wiring -------------------------------------------------------------------------

  function init() {
    $("sign-in-form").addEventListener("submit", signIn);
    $("lang").addEventListener("click", () => {
      state.lang = state.lang === "zh" ? "en" : "zh";
      applyLanguage();
    });
    $("chat-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const text = $("chat-text").value.trim();
      if (!text) return;
      if (send({ type: "chat", text: text.slice(0, 500) })) {
        chatLine(text, true);
        $("chat-text").value = "";
      }
    });
    $("ask-document").addEventListener("click", () => {
      if (send({ type: "snapshot_request" })) note(t("askedDocument"));
    });
    $("suggest").addEventListener("click", () => {
      const code = $("suggest-code").value.trim();
      if (code && send({ type: "open_item", item_code: code })) note(t("suggested") + code);
    });
    $("hang-up").addEventListener("click", () => endCall("clerk_hung_up", true, "clerkHungUp"));
    window.addEventListener("beforeunload", () => {
      if (state.call && !state.call.ended) endCall("clerk_hung_up", true);
    });
    applyLanguage();
  }

  window.clerkConsole = {
    stats: () => ({
      state: stats.state, framesReceived: stats.framesReceived,
      answeredAtMs: stats.answeredAtMs, firstFrameAtMs: stats.firstFrameAtMs,
      messagesReceived: stats.messagesReceived.slice(), snapshots: stats.snapshots,
    }),
  };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
