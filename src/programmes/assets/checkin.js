// Check-in by camera: where the browser can read QR codes (BarcodeDetector), a button turns
// the camera on and each code read fills the code field and submits it. Without it the
// manual code field and the tick list work as they are.
(function () {
  const box = document.querySelector('[data-qr-scanner]');
  const form = document.querySelector('form[action$="/checkin"]');
  if (!box || !form || !('BarcodeDetector' in window) || !navigator.mediaDevices) return;
  const input = form.querySelector('input[name="code"]');
  const video = box.querySelector('[data-qr-video]');
  const start = box.querySelector('[data-qr-start]');
  box.hidden = false;
  const again = document.createElement('input');
  again.type = 'hidden';
  again.name = 'scan';
  again.value = '1';
  form.appendChild(again);
  start.addEventListener('click', async function () {
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
    } catch {
      box.hidden = true;
      input.focus();
      return;
    }
    const detector = new window.BarcodeDetector({ formats: ['qr_code'] });
    video.srcObject = stream;
    video.hidden = false;
    start.hidden = true;
    await video.play();
    const tick = async function () {
      try {
        const codes = await detector.detect(video);
        if (codes.length > 0 && codes[0].rawValue) {
          stream.getTracks().forEach(function (t) {
            t.stop();
          });
          input.value = codes[0].rawValue;
          form.submit();
          return;
        }
      } catch {
        // a frame that cannot be read; try the next one
      }
      setTimeout(tick, 250);
    };
    void tick();
  });
  if (/[?&]scan=1/.test(window.location.search)) start.click();
})();
