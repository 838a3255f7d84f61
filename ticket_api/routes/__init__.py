"""One blueprint per resource."""

from ticket_api.routes.follow import bp as follow_bp
from ticket_api.routes.follow import many_bp as follow_many_bp
from ticket_api.routes.mail import bp as mail_bp
from ticket_api.routes.messages import bp as messages_bp
from ticket_api.routes.meta import bp as meta_bp
from ticket_api.routes.notes import bp as notes_bp
from ticket_api.routes.notices import bp as notices_bp
from ticket_api.routes.photos import bp as photos_bp
from ticket_api.routes.photos import follow_bp as follow_photos_bp
from ticket_api.routes.stats import bp as stats_bp
from ticket_api.routes.tickets import bp as tickets_bp

BLUEPRINTS = (
    meta_bp,
    tickets_bp,
    messages_bp,
    notes_bp,
    follow_bp,
    follow_many_bp,
    photos_bp,
    follow_photos_bp,
    notices_bp,
    stats_bp,
    mail_bp,
)
