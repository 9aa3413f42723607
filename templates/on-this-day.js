/* gazette: the home page's "On this day" box is the build day's; this
   puts the reader's own today in its place, from that day's page.
   Without scripts, or when the fetch fails, the build day's box stays. */
(function () {
  var box = document.getElementById('on-this-day');
  if (!box || !window.fetch || !window.DOMParser) return;
  var now = new Date(), two = function (n) { return (n < 10 ? '0' : '') + n; };
  var key = two(now.getMonth() + 1) + '-' + two(now.getDate());
  if (box.getAttribute('data-day') === key) return;
  var url = box.getAttribute('data-base') + '/on-this-day/' + key + '/';
  fetch(url).then(function (r) { return r.ok ? r.text() : r.status === 404 ? '' : Promise.reject(r.status); })
    .then(function (html) {
      var doc = new DOMParser().parseFromString(html, 'text/html');
      var title = doc.querySelector('h1');
      var day = document.createElement(html ? 'a' : 'span');
      day.className = 'day';
      day.textContent = title ? title.textContent.replace(/^On this day: /, '') : now.toLocaleDateString(undefined, { day: 'numeric', month: 'long' });
      if (html) day.setAttribute('href', url);
      box.querySelector('h2 .day').replaceWith(day);
      var list = document.createElement('ul'), count = 0;
      doc.querySelectorAll('section.year').forEach(function (section) {
        var year = Number(section.getAttribute('data-year'));
        if (!(year < now.getFullYear())) return;
        section.querySelectorAll('li.card h2 a').forEach(function (a) {
          if (count >= 8) return;
          var li = document.createElement('li'), y = document.createElement('span'), link = document.createElement('a');
          y.className = 'year'; y.textContent = String(year);
          link.href = a.href; link.textContent = a.textContent;
          li.append(y, ' ', link); list.append(li); count += 1;
        });
      });
      var none = document.createElement('p');
      none.className = 'none'; none.textContent = 'No article of an earlier year on this day.';
      box.querySelectorAll('ul, p.none').forEach(function (el) { el.remove(); });
      box.append(count ? list : none);
      box.setAttribute('data-day', key);
    }).catch(function () {});
})();
