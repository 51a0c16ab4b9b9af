// Outlook task pane: the only place (with the rest of src/hosts/outlook) that touches Office.*.
// Office.js comes from Microsoft's CDN in taskpane.html; for now the pane says where it runs.
Office.onReady((info) => {
  const status = document.getElementById("status");
  if (status) status.textContent = info.host ? `Reply via IM is ready in ${info.host}.` : "Reply via IM: open this pane from Outlook.";
});
