import './base.css';
import './notebook-sql.css';
import './join-builder.css';
import './history.css';
import './profile.css';
import './labeling.css';
import './labelstudio.css';
import './training.css';
