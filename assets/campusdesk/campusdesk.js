/* Browser-side helpers of the CampusDesk dashboard. */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
    campusdesk: {
        /* Filters changed: drop the grid's header sort and cached blocks, fetch from row 0. */
        resetGrid: async function (search, status, category, order, linkFilters, gridId) {
            const api = await window.dash_ag_grid.getApiAsync(gridId);
            api.applyColumnState({defaultState: {sort: null}});
            api.purgeInfiniteCache();
            api.ensureIndexVisible(0);
            return Date.now();
        },
        /* The report text, once typing has paused for half a second (for the category preview). */
        pausedText: function (title, description) {
            const text = ((title || '') + '\n' + (description || '')).trim();
            const token = (window._campusdeskTyping = (window._campusdeskTyping || 0) + 1);
            return new Promise(function (resolve) {
                setTimeout(function () {
                    resolve(token === window._campusdeskTyping ? text
                        : window.dash_clientside.no_update);
                }, 500);
            });
        },
        /* A bar or cell of an analytics chart was clicked: open the list of its tickets. */
        openPoint: function (clickData) {
            const point = clickData && clickData.points && clickData.points[0];
            const href = point && point.customdata;
            if (typeof href === 'string' && href.charAt(0) === '/') {
                window.location.assign(href);
            }
            return window.dash_clientside.no_update;
        },
        /* Photos chosen or removed before sending: keep them in the picker's store (in the
           browser: they travel to the server only when the form is sent), show each with its
           preview and a remove button, and say at once which ones cannot be sent. */
        choosePhotos: async function (contents, removeClicks, limits, names, kept, storeId) {
            const form = String(storeId).replace(/-photo-store$/, '');
            const ctx = window.dash_clientside.callback_context;
            const trigger = ctx.triggered_id;
            /* The limits come from the server just after the page: photos chosen before they
               arrive wait in the upload (its contents are kept) and are taken when they do. */
            if (!limits) { throw window.dash_clientside.PreventUpdate; }
            if (trigger === form + '-photo-limits' && !contents) {
                throw window.dash_clientside.PreventUpdate;
            }
            let photos = (kept || []).slice();
            const refused = [];
            const most = (limits && limits.per_request) || 0;
            const biggest = (limits && limits.max_bytes) || 0;
            const types = (limits && limits.types) || [];
            /* whether the browser can show it: a file that is no image (whatever its name)
               or an image in another format (HEIC) is refused before anything is sent */
            const decodes = function (src) {
                return new Promise(function (resolve) {
                    const img = new window.Image();
                    img.onload = function () { resolve(img.naturalWidth > 0); };
                    img.onerror = function () { resolve(false); };
                    img.src = src;
                });
            };
            if (trigger && typeof trigger === 'object' && trigger.type === 'photo-remove') {
                const clicked = (ctx.triggered[0] || {}).value;
                if (!clicked) { return window.dash_clientside.no_update; }
                photos.splice(trigger.index, 1);
            } else if (contents) {
                for (let i = 0; i < contents.length; i++) {
                    const src = contents[i] || '';
                    const name = (names || [])[i] || 'photo';
                    const type = (src.match(/^data:([^;,]*)/) || [])[1] || '';
                    const size = Math.floor((src.length - src.indexOf(',') - 1) * 3 / 4);
                    if (types.indexOf(type) < 0 || !(await decodes(src))) {
                        refused.push('“' + name + '” is not a JPEG, PNG or WebP photo.');
                    } else if (size > biggest) {
                        refused.push('“' + name + '” is larger than ' +
                            Math.round(biggest / 1048576) + ' MB.');
                    } else if (photos.length >= most) {
                        refused.push('At most ' + most + ' photos: “' + name + '” was left out.');
                    } else {
                        photos.push({name: name, src: src});
                    }
                }
            }
            const html = 'dash_html_components';
            const items = photos.map(function (photo, index) {
                const remove = 'Remove ' + photo.name;
                return {namespace: html, type: 'Li', props: {
                    className: 'd-flex align-items-center gap-2 mt-2 photo-chosen-item',
                    children: [
                        {namespace: html, type: 'Img', props: {
                            src: photo.src, alt: 'Preview of ' + photo.name,
                            className: 'photo-preview'}},
                        {namespace: html, type: 'Span', props: {
                            children: photo.name,
                            className: 'small text-truncate photo-name'}},
                        {namespace: html, type: 'Button', props: {
                            id: {type: 'photo-remove', form: form, index: index},
                            className: 'btn btn-link btn-sm photo-remove', title: remove,
                            'aria-label': remove, n_clicks: 0,
                            children: {namespace: html, type: 'I', props: {
                                className: 'bi bi-x-lg', 'aria-hidden': 'true'}}}}
                    ]}};
            });
            const alert = refused.length ? {namespace: html, type: 'Div', props: {
                className: 'alert alert-warning py-2 small mt-2 mb-0', role: 'alert',
                children: refused.join(' ')}} : null;
            return [photos, items, alert, null];
        },
        /* Keep the newest message in view when the thread grows. */
        scrollThread: function (children, threadId) {
            const el = document.getElementById(threadId);
            if (el && el.parentElement) {
                const box = el.closest('.thread');
                if (box) { box.scrollTop = box.scrollHeight; }
            }
            return window.dash_clientside.no_update;
        }
    }
});

/* The file input inside each photo picker (dcc.Upload) has no label of its own: give it the
   picker's name, for screen readers, whenever the page renders one. */
(function () {
    const name = function () {
        document.querySelectorAll('.photo-upload input[type=file]:not([aria-label])')
            .forEach(function (input) { input.setAttribute('aria-label', 'Add photos'); });
    };
    new MutationObserver(name).observe(document.documentElement, {childList: true, subtree: true});
}());
