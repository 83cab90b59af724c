export default defineBackground(() => {
  // The engine host is wired in by the content-script issue.
});
