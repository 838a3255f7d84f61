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
