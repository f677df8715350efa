/* Print: the Print button of a page made to be taken along (front matter `print: true`), and the
   full address of every link to another page of the site, which the print rules of extra.css show
   after the link on paper ("a[data-kb-url]::after"). Addresses are resolved against the page's
   canonical address, so a printout names the public site even when read from a local copy.
   Runs on every page load and instant navigation. */
(function () {
  function base() {
    var canonical = document.querySelector('link[rel="canonical"]');
    return canonical && canonical.href ? canonical.href : window.location.href;
  }

  function update() {
    var buttons = document.querySelectorAll(".kb-print");
    for (var i = 0; i < buttons.length; i++) {
      if (typeof window.print === "function") buttons[i].hidden = false;
    }
    var links = document.querySelectorAll(".md-content a[href]");
    var from = base();
    for (var j = 0; j < links.length; j++) {
      var link = links[j];
      var href = link.getAttribute("href");
      if (/^(#|[a-z][a-z0-9+.-]*:)/i.test(href)) continue; // in-page, web, mail and phone links
      if (link.closest(".md-content__button, .headerlink, .footnote-ref, .footnote-backref")) continue;
      try {
        link.setAttribute("data-kb-url", new URL(href, from).href);
      } catch (error) {
        /* not a valid address: print the link as it is */
      }
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".kb-print");
    if (button) window.print();
  });

  if (typeof document$ !== "undefined") {
    document$.subscribe(update);
  } else {
    document.addEventListener("DOMContentLoaded", update);
  }
})();
